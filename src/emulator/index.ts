export {
  startEmulator,
  type RunningEmulator,
  type StartEmulatorOptions,
} from './start-emulator.ts';
export { SalesforceApiError } from './api-error.ts';
export { VirtualClock } from './virtual-clock.ts';
export type { OutboundMessageDefinition } from './outbound/definition.ts';
export {
  SALESFORCE_RETRY_POLICY,
  retryDelayMs,
  type RetryPolicy,
} from './outbound/retry-schedule.ts';
export { seedCatalogue } from './records/seed-catalogue.ts';
export {
  loadSalesforceMetadata,
  DEFAULT_METADATA_DIR,
  MetadataError,
  METADATA_NS,
  type SalesforceMetadata,
} from './metadata/index.ts';
// Start/stop bookkeeping the demo and chaos runs share; belongs in the shared layer once it has a folder.
