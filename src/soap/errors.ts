import { SfRelayError, type FaultCode } from '../shared/index.ts';
import { SOAP_ERRORS } from './error-catalogue.ts';

/**
 * Why an incoming SOAP message was refused. Every code is a mistake of the sender, so each
 * renders as a SOAP fault and nothing of the message is stored. Described in SOAP_ERRORS.
 */
export type SoapRejectionCode = Exclude<
  keyof (typeof SOAP_ERRORS)['errors'],
  'WSDL_INVALID' | 'XML_UNREPRESENTABLE'
>;

/** The SOAP 1.1 fault code a rejection is reported with (SOAP 1.1 §4.4.1). */
export type SoapFaultCode = FaultCode;

export class SoapRejectedError extends SfRelayError {
  readonly code: SoapRejectionCode;

  constructor(code: SoapRejectionCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  get faultCode(): SoapFaultCode {
    return SOAP_ERRORS.errors[this.code].http?.fault ?? 'Client';
  }

  get httpStatus(): number {
    return SOAP_ERRORS.errors[this.code].http?.status ?? 500;
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
