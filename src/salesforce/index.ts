export {
  SalesforceAuthError,
  SalesforcePermanentError,
  SalesforceRetryableError,
  SessionExpiredError,
  type CallbackTarget,
  type OpportunityLine,
  type OpportunitySnapshot,
  type OrderResult,
  type OrderWrite,
  type PerRecord,
  type SalesforceClient,
} from './salesforce-client.ts';
export {
  createSalesforceClient,
  type SalesforceClientOptions,
} from './create-salesforce-client.ts';
export type { PrivateKeyReader, PrivateKeySource } from './private-key.ts';
export { APEX_REST_ORDERS_PATH } from './write-by-apex-rest.ts';
