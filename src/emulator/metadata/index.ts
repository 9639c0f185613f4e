export {
  loadSalesforceMetadata,
  DEFAULT_METADATA_DIR,
  type MetadataOutboundMessage,
  type SalesforceMetadata,
} from './load-metadata.ts';
export { MetadataError } from './metadata-error.ts';
export { METADATA_NS } from './metadata-xml.ts';
export type { ExternalClientAppMetadata } from './external-client-apps.ts';
export type { ObjectAccess, PermissionSetMetadata } from './permission-sets.ts';
