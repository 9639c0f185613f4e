import { messageOf } from '../shared/index.ts';
import { WsdlError } from './errors.ts';
import { escapeAttribute } from './escape-xml.ts';
import { OUTBOUND_NS } from './outbound-message.ts';
import { describe, readXml, type XmlElement } from './read-xml.ts';
import { readOutboundContract, XSD_NS, type OutboundContract } from './wsdl-contract.ts';

const WSDL_NS = 'http://schemas.xmlsoap.org/wsdl/';

export interface OutboundWsdl {
  /** The document as given, to serve on `?wsdl`. */
  readonly text: string;
  /** The sObject type the WSDL's `Notification/sObject` is bound to, e.g. `Opportunity`. */
  readonly objectType: string;
  /** The sObject types and fields it declares: what the listener holds messages to. */
  readonly contract: OutboundContract;
}

/** The WSDL is read with the same hardened reader as messages, but may be larger. */
const WSDL_LIMITS = { maxBytes: 16 * 1024 * 1024, maxDepth: 64, maxAttributes: 64 };

/**
 * Checks that a document is a Salesforce outbound-message WSDL and finds the sObject type it
 * declares. Throws `WsdlError` naming what is missing.
 */
export function readOutboundWsdl(text: string, source: string): OutboundWsdl {
  let definitions: XmlElement;
  try {
    definitions = readXml(text, WSDL_LIMITS);
  } catch (error) {
    const reason = messageOf(error);
    throw new WsdlError(`${source} is not a readable WSDL: ${reason}`, { cause: error });
  }
  const notOutbound = (why: string): WsdlError =>
    new WsdlError(`${source} is not a Salesforce outbound-message WSDL: ${why}`);
  if (definitions.uri !== WSDL_NS || definitions.local !== 'definitions') {
    throw notOutbound(`its root element is ${describe(definitions)}, not WSDL 1.1 definitions`);
  }
  if (definitions.attributes.get('targetNamespace') !== OUTBOUND_NS) {
    throw notOutbound(`its targetNamespace is not ${OUTBOUND_NS}`);
  }
  const schemas = descendants(definitions, XSD_NS, 'schema');
  const outboundSchema = schemas.find(
    (schema) => schema.attributes.get('targetNamespace') === OUTBOUND_NS,
  );
  if (!outboundSchema) throw notOutbound(`it declares no schema for ${OUTBOUND_NS}`);
  const notificationsElement = outboundSchema.children.find(
    (child) =>
      child.uri === XSD_NS &&
      child.local === 'element' &&
      child.attributes.get('name') === 'notifications',
  );
  if (!notificationsElement) throw notOutbound('it declares no notifications element');
  const declaresResponse = outboundSchema.children.some(
    (child) =>
      child.uri === XSD_NS &&
      child.local === 'element' &&
      child.attributes.get('name') === 'notificationsResponse',
  );
  // Without notificationsResponse/Ack there is no way to acknowledge, so it is some other service.
  if (!declaresResponse) throw notOutbound('it declares no notificationsResponse element');
  const contract = readOutboundContract(definitions, source);
  return { text, objectType: contract.objectType, contract };
}

/** The WSDL with its service address pointed at where it is being served from. */
export function withServiceLocation(wsdl: OutboundWsdl, location: string): string {
  // A textual edit keeps the document byte-for-byte as the user supplied it otherwise.
  return wsdl.text.replace(
    /(<(?:[A-Za-z_][\w.-]*:)?address\b[^>]*\blocation\s*=\s*)(["'])[^"']*\2/,
    (_match, head: string) => `${head}"${escapeAttribute(location)}"`,
  );
}

function descendants(root: XmlElement, uri: string, local: string): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (element: XmlElement): void => {
    for (const child of element.children) {
      if (child.uri === uri && child.local === local) found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}
