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
