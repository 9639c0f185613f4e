export {
  ErpKeyConflictError,
  ErpRejectedError,
  ErpUnavailableError,
  type CreateOrderResult,
  type ErpOrder,
  type ErpOrderLine,
  type ErpOrderRequest,
  type ErpPort,
} from './erp-port.ts';
export { HttpErpAdapter, type HttpErpAdapterOptions } from './http-erp-adapter.ts';
export { orderJsonSchema, type OrderJson } from './order-json.ts';
export { startErp, type RunningErp, type StartErpOptions } from './service/start-erp.ts';
export {
  ErpFaults,
  type ErpFaultPatch,
  type ErpFaultSettings,
  type ErpFaultState,
} from './service/erp-faults.ts';
export { ERP_ERRORS } from './error-catalogue.ts';
