export { buildRelayServer, type RelayServerOptions } from './relay-server.ts';
export { outboundRoute, OUTBOUND_PATH, type OutboundRouteOptions } from './outbound-route.ts';
export { healthRoutes } from './health-routes.ts';
export {
  ListenerRefusalError,
  OrgNotAllowedError,
  EndpointTokenError,
  EndpointNotFoundError,
  UnsupportedMediaTypeError,
  WrongSoapActionError,
} from './errors.ts';
export { loadWsdl } from './load-wsdl.ts';
export {
  describeSenderChecks,
  unguardedEndpointProblem,
  type SenderChecks,
  type SenderChecksSummary,
} from './sender-checks.ts';
export {
  SourceNotAllowedError,
  ClientCertMissingError,
  ClientCertNotPinnedError,
  TooManyConcurrentError,
} from './sender-errors.ts';
export { ENDPOINT_TOKEN_HEADER } from './endpoint-token.ts';
export { LISTENER_ERRORS } from './error-catalogue.ts';
