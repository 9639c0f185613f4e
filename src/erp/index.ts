/**
 * The ERP as the relay sees it: the port the worker calls, its HTTP adapter, and the wire
 * format both sides share. The reference ERP service that answers it is `erp-service/`.
 */
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
export { KEY_REUSED_PROBLEM, orderJsonSchema, type OrderJson } from './order-json.ts';
export { ERP_ERRORS } from './error-catalogue.ts';
