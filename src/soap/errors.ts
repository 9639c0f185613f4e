import { SfRelayError } from '../errors.ts';

/**
 * Why an incoming SOAP message was refused. Every code is a mistake of the sender, so each
 * renders as a SOAP fault and nothing of the message is stored.
 */
export type SoapRejectionCode =
  | 'SOAP_TOO_LARGE'
  | 'SOAP_MALFORMED'
  | 'SOAP_ENCODING_UNSUPPORTED'
  | 'SOAP_DTD_FORBIDDEN'
  | 'SOAP_ENTITY_FORBIDDEN'
  | 'SOAP_TOO_DEEP'
  | 'SOAP_TOO_MANY_ATTRIBUTES'
  | 'SOAP_VERSION_MISMATCH'
  | 'SOAP_MUST_UNDERSTAND'
  | 'SOAP_NOT_OUTBOUND_MESSAGE'
  | 'SOAP_MISSING_ELEMENT'
  | 'SOAP_UNEXPECTED_ELEMENT'
  | 'SOAP_TOO_MANY_NOTIFICATIONS'
  | 'SOAP_INVALID_ID'
  | 'SOAP_INVALID_VALUE'
  | 'SOAP_DUPLICATE_NOTIFICATION'
  | 'SOAP_TOO_MANY_ELEMENTS'
  | 'SOAP_CONTRACT_MISMATCH';

/** The SOAP 1.1 fault code a rejection is reported with (SOAP 1.1 §4.4.1). */
export type SoapFaultCode = 'Client' | 'Server' | 'VersionMismatch' | 'MustUnderstand';

export class SoapRejectedError extends SfRelayError {
  readonly code: SoapRejectionCode;

  constructor(code: SoapRejectionCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  get faultCode(): SoapFaultCode {
    if (this.code === 'SOAP_VERSION_MISMATCH') return 'VersionMismatch';
    if (this.code === 'SOAP_MUST_UNDERSTAND') return 'MustUnderstand';
    return 'Client';
  }
}

/** A WSDL given to the relay (configuration, not a sender's message) is not an outbound-message WSDL. */
export class WsdlError extends SfRelayError {
  readonly code = 'WSDL_INVALID';
}

/** A value that cannot be written as XML 1.0 text (a renderer input error, not a sender's). */
export class XmlRenderError extends SfRelayError {
  readonly code = 'XML_UNREPRESENTABLE';
}
