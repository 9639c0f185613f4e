import type { SoapFaultCode } from './errors.ts';
import { escapeText } from './escape-xml.ts';
import { OUTBOUND_NS, SOAP_ENVELOPE_NS } from './outbound-message.ts';

/** The namespace of the detail element that carries our stable error code in a fault. */
export const SF_RELAY_FAULT_NS = 'urn:sf-relay:fault';

/** The only reply that ends Salesforce's retries (SALESFORCE.md §2). */
export function renderAck(ack = true): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_ENVELOPE_NS}">` +
    '<soapenv:Body>' +
    `<notificationsResponse xmlns="${OUTBOUND_NS}"><Ack>${ack ? 'true' : 'false'}</Ack></notificationsResponse>` +
    '</soapenv:Body></soapenv:Envelope>'
  );
}

export interface SoapFault {
  /** `Client` for the sender's mistakes, `Server` for ours (SOAP 1.1 §4.4.1). */
  readonly faultCode: SoapFaultCode;
  readonly faultString: string;
  /** Our stable error code, carried in `<detail>` so that a machine can branch on it. */
  readonly errorCode?: string;
}

export function renderFault(fault: SoapFault): string {
  const detail =
    fault.errorCode === undefined
      ? ''
      : `<detail><sfr:error xmlns:sfr="${SF_RELAY_FAULT_NS}"><sfr:code>${escapeText(fault.errorCode)}</sfr:code></sfr:error></detail>`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_ENVELOPE_NS}">` +
    '<soapenv:Body><soapenv:Fault>' +
    `<faultcode>soapenv:${fault.faultCode}</faultcode>` +
    `<faultstring>${escapeText(fault.faultString)}</faultstring>` +
    detail +
    '</soapenv:Fault></soapenv:Body></soapenv:Envelope>'
  );
}
