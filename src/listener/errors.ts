import { SfRelayError } from '../shared/index.ts';
import { SOAP_ERRORS } from '../soap/index.ts';
import { LISTENER_ERRORS } from './error-catalogue.ts';

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
  readonly httpStatus = LISTENER_ERRORS.errors.ORG_NOT_ALLOWED.http.status;
}

/**
 * The message does not match the configured WSDL and `contract.onMismatch` is `refuse` (the
 * default holds it instead: see ContractEnforcement).
 */
export class ContractMismatchError extends ListenerRefusalError {
  readonly code = 'SOAP_CONTRACT_MISMATCH';
  readonly httpStatus = SOAP_ERRORS.errors.SOAP_CONTRACT_MISMATCH.http.status;
}

/** The endpoint token in the URL is missing or wrong. */
export class EndpointTokenError extends ListenerRefusalError {
  readonly code = 'ENDPOINT_TOKEN_INVALID';
  readonly httpStatus = LISTENER_ERRORS.errors.ENDPOINT_TOKEN_INVALID.http.status;
}

/** A token path was called but the relay has no endpoint token configured. */
export class EndpointNotFoundError extends ListenerRefusalError {
  readonly code = 'ENDPOINT_NOT_FOUND';
  readonly httpStatus = LISTENER_ERRORS.errors.ENDPOINT_NOT_FOUND.http.status;
}

/** The request is not `text/xml`, which SOAP 1.1 requires. */
export class UnsupportedMediaTypeError extends ListenerRefusalError {
  readonly code = 'SOAP_WRONG_CONTENT_TYPE';
  readonly httpStatus = LISTENER_ERRORS.errors.SOAP_WRONG_CONTENT_TYPE.http.status;
}

/** The SOAPAction is not the empty action the outbound-message WSDL binds. */
export class WrongSoapActionError extends ListenerRefusalError {
  readonly code = 'SOAP_WRONG_ACTION';
  readonly httpStatus = LISTENER_ERRORS.errors.SOAP_WRONG_ACTION.http.status;
}
