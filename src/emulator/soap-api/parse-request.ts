import { DEFAULT_XML_LIMITS, readXml, type XmlElement } from '../../soap/index.ts';
import { SoapRejectedError } from '../../soap/index.ts';
import { NAMESPACES, SOAP_ENVELOPE_NS, type ApiDialect } from './dialect.ts';
import { clientFault } from './soap-fault.ts';

export interface SoapRequest {
  readonly operation: XmlElement;
  /** `SessionHeader/sessionId`, when sent. */
  readonly sessionId: string | undefined;
  /** `QueryOptions/batchSize`, when sent. */
  readonly batchSize: number | undefined;
}

/** Salesforce accepts requests far larger than an outbound message; 50 MB is its own limit. */
export const SOAP_API_XML_LIMITS = { ...DEFAULT_XML_LIMITS, maxBytes: 50 * 1024 * 1024 };

/** Children by local name: clients differ in how they qualify them (jsforce even mixes). */
export function childrenNamed(element: XmlElement, local: string): XmlElement[] {
  return element.children.filter((child) => child.local === local);
}

export function childText(element: XmlElement, local: string): string | undefined {
  const child = element.children.find((c) => c.local === local);
  return child === undefined || child.nil ? undefined : child.text;
}

export function parseSoapRequest(body: Buffer | string, dialect: ApiDialect): SoapRequest {
  let root: XmlElement;
  try {
    root = readXml(body, SOAP_API_XML_LIMITS);
  } catch (error) {
    if (error instanceof SoapRejectedError) throw clientFault(error.message);
    throw error;
  }
  if (root.uri !== SOAP_ENVELOPE_NS || root.local !== 'Envelope') {
    throw clientFault(
      `Expected a SOAP 1.1 Envelope ({${SOAP_ENVELOPE_NS}}Envelope), found {${root.uri}}${root.local}`,
    );
  }
  const header = root.children.find((c) => c.uri === SOAP_ENVELOPE_NS && c.local === 'Header');
  const soapBody = root.children.find((c) => c.uri === SOAP_ENVELOPE_NS && c.local === 'Body');
  const operation = soapBody?.children[0];
  if (operation === undefined) throw clientFault('Missing operation in the SOAP Body');
  const namespace = NAMESPACES[dialect].api;
  if (operation.uri !== namespace) {
    throw noOperation(operation);
  }
  const sessionHeader = header?.children.find((c) => c.local === 'SessionHeader');
  const sessionId =
    sessionHeader === undefined ? undefined : childText(sessionHeader, 'sessionId')?.trim();
  const queryOptions = header?.children.find((c) => c.local === 'QueryOptions');
  const batchText = queryOptions === undefined ? undefined : childText(queryOptions, 'batchSize');
  const batchSize =
    batchText === undefined || batchText.trim() === '' ? undefined : Number(batchText);
  if (batchSize !== undefined && !Number.isInteger(batchSize)) {
    throw clientFault(
      `Unable to parse QueryOptions batchSize ${JSON.stringify(batchText)} as an int`,
    );
  }
  return { operation, sessionId, batchSize };
}

/** Salesforce's answer to an operation its WSDL does not declare. */
export function noOperation(operation: XmlElement) {
  return clientFault(
    `No operation available for request {${operation.uri}}${operation.local}, please check the WSDL for the service.`,
  );
}
