export {
  soapApiRoutes,
  DEFAULT_BATCH_SIZE,
  LOGIN_REMOVED_IN_VERSION,
  MIN_API_VERSION,
  type SoapApiRoutesOptions,
  type SoqlRunner,
} from './soap-api-routes.ts';
export { NAMESPACES, type ApiDialect } from './dialect.ts';
export { SoapApiFault, renderFault } from './soap-fault.ts';
export { formatDouble } from './render-value.ts';
