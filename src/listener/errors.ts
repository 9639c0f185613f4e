import { SfRelayError } from '../shared/index.ts';
import { SOAP_ERRORS } from '../soap/index.ts';
import { LISTENER_ERRORS } from './error-catalogue.ts';

/** The codes a refusal at the door carries: the listener's own, and the contract's one. */
export type ListenerRefusalCode = keyof typeof LISTENER_ERRORS.errors | 'SOAP_CONTRACT_MISMATCH';

/**
 * The sender's mistake, found before or beside the envelope: answered with a `Client` fault
 * and `httpStatus`, nothing stored. Each subclass names only its code; the status is the
 * catalogue's, so it cannot drift from `sf-relay errors`.
 */
export abstract class ListenerRefusalError extends SfRelayError {
  abstract override readonly code: ListenerRefusalCode;

  get httpStatus(): number {
    const entry =
      this.code === 'SOAP_CONTRACT_MISMATCH'
        ? SOAP_ERRORS.errors.SOAP_CONTRACT_MISMATCH
        : LISTENER_ERRORS.errors[this.code];
    return entry.http?.status ?? 500;
  }
}

/** The message comes from an organisation that is not in `allowedOrganizationIds`. */
export class OrgNotAllowedError extends ListenerRefusalError {
  readonly code = 'ORG_NOT_ALLOWED';
}

/**
 * The message does not match the configured WSDL and `contract.onMismatch` is `refuse` (the
 * default holds it instead: see ContractEnforcement).
 */
export class ContractMismatchError extends ListenerRefusalError {
  readonly code = 'SOAP_CONTRACT_MISMATCH';
}

/** The endpoint token in the URL is missing or wrong. */
export class EndpointTokenError extends ListenerRefusalError {
  readonly code = 'ENDPOINT_TOKEN_INVALID';
}

/** A token path was called but the relay has no endpoint token configured. */
export class EndpointNotFoundError extends ListenerRefusalError {
  readonly code = 'ENDPOINT_NOT_FOUND';
}

/** The request is not `text/xml`, which SOAP 1.1 requires. */
export class UnsupportedMediaTypeError extends ListenerRefusalError {
  readonly code = 'SOAP_WRONG_CONTENT_TYPE';
}

/** The SOAPAction is not the empty action the outbound-message WSDL binds. */
export class WrongSoapActionError extends ListenerRefusalError {
  readonly code = 'SOAP_WRONG_ACTION';
}
