export {
  loadSalesforceMetadata,
  DEFAULT_METADATA_DIR,
  type MetadataOutboundMessage,
  type SalesforceMetadata,
} from './load-metadata.ts';
export { MetadataError } from './metadata-error.ts';
export { METADATA_NS } from './metadata-xml.ts';
