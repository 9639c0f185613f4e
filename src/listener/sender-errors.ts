import { ListenerRefusalError } from './errors.ts';

/** The request comes from an address outside `allowedSourceIps` (after `trustProxy`). */
export class SourceNotAllowedError extends ListenerRefusalError {
  readonly code = 'SOURCE_NOT_ALLOWED';
}

/** Pins are configured and the request carries no client certificate to check. */
export class ClientCertMissingError extends ListenerRefusalError {
  readonly code = 'CLIENT_CERT_MISSING';
}

/** The client certificate chains to the CA but is not one of the pinned subjects or fingerprints. */
export class ClientCertNotPinnedError extends ListenerRefusalError {
  readonly code = 'CLIENT_CERT_NOT_PINNED';
}

/** One source has `limits.maxConcurrentPerIp` requests in flight already; Salesforce retries. */
export class TooManyConcurrentError extends ListenerRefusalError {
  readonly code = 'TOO_MANY_CONCURRENT_REQUESTS';
}
