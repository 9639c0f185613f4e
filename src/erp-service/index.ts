/**
 * The reference ERP: a program of its own (`sf-relay erp`, and inside `dev`, `demo`, `bench`
 * and `chaos`) that speaks the HTTP contract `erp/`'s adapter calls. Kept apart from `erp/` so
 * that the relay, which needs only the port and the adapter, never loads Fastify and SQLite
 * for it.
 */
export { startErp, type RunningErp, type StartErpOptions } from './start-erp.ts';
export {
  ErpFaults,
  type ErpFaultPatch,
  type ErpFaultSettings,
  type ErpFaultState,
} from './erp-faults.ts';
