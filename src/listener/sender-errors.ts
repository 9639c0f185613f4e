import { LISTENER_ERRORS } from './error-catalogue.ts';
import { ListenerRefusalError } from './errors.ts';

/** The request comes from an address outside `allowedSourceIps` (after `trustProxy`). */
export class SourceNotAllowedError extends ListenerRefusalError {
  readonly code = 'SOURCE_NOT_ALLOWED';
  readonly httpStatus = LISTENER_ERRORS.errors.SOURCE_NOT_ALLOWED.http.status;
}

/** Pins are configured and the request carries no client certificate to check. */
export class ClientCertMissingError extends ListenerRefusalError {
  readonly code = 'CLIENT_CERT_MISSING';
  readonly httpStatus = LISTENER_ERRORS.errors.CLIENT_CERT_MISSING.http.status;
}

/** The client certificate chains to the CA but is not one of the pinned subjects or fingerprints. */
export class ClientCertNotPinnedError extends ListenerRefusalError {
  readonly code = 'CLIENT_CERT_NOT_PINNED';
  readonly httpStatus = LISTENER_ERRORS.errors.CLIENT_CERT_NOT_PINNED.http.status;
}

/** One source has `limits.maxConcurrentPerIp` requests in flight already; Salesforce retries. */
export class TooManyConcurrentError extends ListenerRefusalError {
  readonly code = 'TOO_MANY_CONCURRENT_REQUESTS';
  readonly httpStatus = LISTENER_ERRORS.errors.TOO_MANY_CONCURRENT_REQUESTS.http.status;
}
