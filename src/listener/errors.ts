import { SfRelayError } from '../errors.ts';

/**
 * The sender's mistake, found before or beside the envelope: answered with a `Client` fault
 * and `httpStatus`, nothing stored.
 */
export abstract class ListenerRefusalError extends SfRelayError {
  abstract readonly httpStatus: number;
}

/** The message comes from an organisation that is not in `allowedOrganizationIds`. */
export class OrgNotAllowedError extends ListenerRefusalError {
  readonly code = 'ORG_NOT_ALLOWED';
  // SOAP 1.1 §6.2: a fault found while processing the envelope is HTTP 500.
  readonly httpStatus = 500;
}

/**
 * The message does not match the configured WSDL and `contract.onMismatch` is `refuse` (the
 * default holds it instead: see ContractEnforcement).
 */
export class ContractMismatchError extends ListenerRefusalError {
  readonly code = 'SOAP_CONTRACT_MISMATCH';
  readonly httpStatus = 500;
}

/** The endpoint token in the URL is missing or wrong. */
export class EndpointTokenError extends ListenerRefusalError {
  readonly code = 'ENDPOINT_TOKEN_INVALID';
  readonly httpStatus = 401;
}

/** A token path was called but the relay has no endpoint token configured. */
export class EndpointNotFoundError extends ListenerRefusalError {
  readonly code = 'ENDPOINT_NOT_FOUND';
  readonly httpStatus = 404;
}

/** The request is not `text/xml`, which SOAP 1.1 requires. */
export class UnsupportedMediaTypeError extends ListenerRefusalError {
  readonly code = 'SOAP_WRONG_CONTENT_TYPE';
  readonly httpStatus = 415;
}

/** The SOAPAction is not the empty action the outbound-message WSDL binds. */
export class WrongSoapActionError extends ListenerRefusalError {
  readonly code = 'SOAP_WRONG_ACTION';
  readonly httpStatus = 500;
}
