import { createHash } from 'node:crypto';
import { escapeText } from '../../soap/index.ts';
import { SfRelayError } from '../../shared/index.ts';
import { NAMESPACES, SOAP_ENVELOPE_NS, XSI_NS, type ApiDialect } from './dialect.ts';

/** The `ApiFault` subtype Salesforce puts in `<detail>` for each exception code. */
const FAULT_TYPES: Readonly<Record<string, string>> = {
  INVALID_LOGIN: 'LoginFault',
  MALFORMED_QUERY: 'MalformedQueryFault',
  INVALID_FIELD: 'InvalidFieldFault',
  INVALID_TYPE: 'InvalidSObjectFault',
  INVALID_QUERY_LOCATOR: 'InvalidQueryLocatorFault',
  INVALID_QUERY_FILTER_OPERATOR: 'InvalidQueryFilterOperatorFault',
  MALFORMED_ID: 'InvalidIdFault',
  INVALID_ID_FIELD: 'InvalidIdFault',
};

/** Faults whose detail carries the position in the SOQL text (`row`, `column`). */
const POSITIONED = new Set(['MalformedQueryFault', 'InvalidFieldFault', 'InvalidSObjectFault']);

/**
 * A SOAP fault as Salesforce sends it (HTTP 500): `sf:<CODE>` with an `ApiFault` detail, or,
 * for a request the API cannot read at all, `soapenv:Client` with no detail.
 */
export class SoapApiFault extends SfRelayError {
  readonly code: string;

  constructor(
    code: string,
    message: string,
    readonly kind: 'api' | 'client' = 'api',
  ) {
    super(message);
    this.code = code;
  }
}

export const clientFault = (message: string): SoapApiFault =>
  new SoapApiFault('Client', message, 'client');

/**
 * What Salesforce says of a session id it does not know (revoked, expired, never issued); the
 * hash it names is of the session id, so the same id always names the same hash.
 */
export function invalidSessionFault(sessionId: string | undefined): SoapApiFault {
  if (sessionId === undefined || sessionId === '') {
    return new SoapApiFault(
      'INVALID_SESSION_ID',
      'Invalid Session ID found in SessionHeader: Illegal Session',
    );
  }
  const hash = createHash('sha256').update(sessionId).digest('base64').slice(0, 43);
  return new SoapApiFault(
    'INVALID_SESSION_ID',
    `Invalid Session ID found in SessionHeader: Illegal Session. Session not found, missing session hash: ${hash}`,
  );
}

export function renderFault(fault: SoapApiFault, dialect: ApiDialect): string {
  const open =
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_ENVELOPE_NS}" xmlns:sf="${NAMESPACES[dialect].fault}" xmlns:xsi="${XSI_NS}">` +
    `<soapenv:Body><soapenv:Fault>`;
  const close = `</soapenv:Fault></soapenv:Body></soapenv:Envelope>`;
  if (fault.kind === 'client') {
    return `${open}<faultcode>soapenv:Client</faultcode><faultstring>${escapeText(fault.message)}</faultstring>${close}`;
  }
  const type = FAULT_TYPES[fault.code] ?? 'UnexpectedErrorFault';
  const position = POSITIONED.has(type) ? `<sf:row>-1</sf:row><sf:column>-1</sf:column>` : '';
  return (
    open +
    `<faultcode>sf:${escapeText(fault.code)}</faultcode>` +
    `<faultstring>${escapeText(`${fault.code}: ${fault.message}`)}</faultstring>` +
    `<detail><sf:${type} xsi:type="sf:${type}">` +
    `<sf:exceptionCode>${escapeText(fault.code)}</sf:exceptionCode>` +
    `<sf:exceptionMessage>${escapeText(fault.message)}</sf:exceptionMessage>` +
    position +
    `</sf:${type}></detail>` +
    close
  );
}
