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
export {
  readPrivateKeyFromSource,
  type PrivateKeyReader,
  type PrivateKeySource,
} from './private-key.ts';
// `sf-relay check` asks for one token the way the worker would, to prove the credentials.
export { requestAccessToken, type TokenRequestContext } from './request-access-token.ts';
export { APEX_REST_ORDERS_PATH } from './write-by-apex-rest.ts';
export { SALESFORCE_ERRORS, SALESFORCE_REPLY_CODES } from './error-catalogue.ts';
