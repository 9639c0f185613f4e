/**
 * The library: what a program embedding sf-relay may rely on, and nothing else. Everything
 * not exported here is internal and may change without notice; the `sf-relay` command is
 * the other public face.
 */

// Run the relay (listener, worker or both) from a validated configuration.
export { startRelay, type RunningRelay, type RelayParts } from './relay/index.ts';
export {
  loadConfig,
  loadEmulatorConfig,
  relayConfigSchema,
  type LoadConfigOptions,
  type RelayConfig,
  type RelayConfigInput,
  type EmulatorConfig,
  type EmulatorConfigInput,
} from './config/index.ts';
export { createLogger, type Logger, type Clock } from './shared/index.ts';

// The durable inbox, for tools that inspect or replay messages.
export {
  openInbox,
  migrateInbox,
  type Inbox,
  type InboxMessage,
  type MessageState,
  type OpenInboxOptions,
  type StoreResult,
} from './inbox/index.ts';

// The local Salesforce org and the reference ERP, for tests and demos of your own.
export {
  startEmulator,
  type RunningEmulator,
  type StartEmulatorOptions,
} from './emulator/index.ts';
export { startErp, type RunningErp, type StartErpOptions } from './erp-service/index.ts';
export {
  HttpErpAdapter,
  type ErpPort,
  type ErpOrderRequest,
  type CreateOrderResult,
} from './erp/index.ts';

// Outbound messages as the relay parses them: what `sf-relay codegen`'s `to<Object>()` takes.
export type {
  FieldValue,
  OutboundMessage,
  OutboundNotification,
  SObjectRecord,
} from './soap/index.ts';
export { generateFromWsdl, type GenerateOptions, type GeneratedModule } from './codegen/index.ts';

// Errors: branch on the class or its stable `code`, never on the message.
export { SfRelayError } from './shared/index.ts';
export { ConfigError } from './config/index.ts';
export {
  InboxArgumentError,
  InboxRowInvalidError,
  InboxSchemaTooNewError,
  InboxUnavailableError,
  NotificationConflictError,
} from './inbox/index.ts';
export { ErpKeyConflictError, ErpRejectedError, ErpUnavailableError } from './erp/index.ts';
export {
  SalesforceAuthError,
  SalesforcePermanentError,
  SalesforceRetryableError,
  SessionExpiredError,
} from './salesforce/index.ts';
export { CodegenError } from './codegen/index.ts';
