import { SoapRejectedError } from './errors.ts';
import {
  MAX_NOTIFICATIONS_PER_MESSAGE,
  OUTBOUND_NS,
  SOAP_ENVELOPE_NS,
  SOBJECT_ENTERPRISE_NS,
  type FieldValue,
  type OutboundMessage,
  type OutboundNotification,
  type SObjectRecord,
} from './outbound-message.ts';
import {
  DEFAULT_XML_LIMITS,
  describe,
  readXml,
  type XmlElement,
  type XmlReadLimits,
} from './read-xml.ts';
import { isSalesforceId } from './salesforce-id.ts';
import { isApiName } from './api-name.ts';
import { checkApiUrl } from './api-url.ts';
import { HEADER_SEQUENCE, MAX_FIELDS_PER_SOBJECT } from './outbound-grammar.ts';
import { scanOutboundMessage } from './scan-outbound-message.ts';

export interface ParseOptions {
  readonly limits?: XmlReadLimits;
  /**
   * sObject type to assume when a notification's sObject has no `xsi:type` (Salesforce always
   * sends one; generic SOAP clients built from the WSDL may not, since the WSDL types it).
   */
  readonly defaultObjectType?: string;
}

const SOAP12_ENVELOPE_NS = 'http://www.w3.org/2003/05/soap-envelope';

/**
 * Parses a Salesforce outbound message (SALESFORCE.md §1) by namespace URI, enforcing the XSD
 * sequence of the generated WSDL. Throws `SoapRejectedError` for anything else.
 *
 * The single-pass scanner reads every message in the shape senders actually use without
 * building a tree; whatever it is not certain of (every refusal, and rare legal constructs such
 * as comments or CDATA) goes to the tree reader, so the refusal code, its message and which of
 * several faults wins are exactly the tree reader's.
 */
export function parseOutboundMessage(
  input: string | Uint8Array,
  options: ParseOptions = {},
): OutboundMessage {
  return scanOutboundMessage(input, options) ?? parseOutboundMessageByTree(input, options);
}

/**
 * The reference reader: a whole tree from saxes, then the rules over it. Only refusals and rare
 * shapes reach it from `parseOutboundMessage`; the differential test holds the scanner to it.
 */
export function parseOutboundMessageByTree(
  input: string | Uint8Array,
  options: ParseOptions = {},
): OutboundMessage {
  const envelope = readXml(input, options.limits ?? DEFAULT_XML_LIMITS);
  const body = envelopeBody(envelope);
  const notifications = onlyChild(body, 'the SOAP Body');
  if (notifications.uri !== OUTBOUND_NS || notifications.local !== 'notifications') {
    throw new SoapRejectedError(
      'SOAP_NOT_OUTBOUND_MESSAGE',
      `the SOAP Body holds ${describe(notifications)}; an outbound message holds {${OUTBOUND_NS}}notifications`,
    );
  }
  assertNoText(notifications);

  const children = notifications.children;
  const header = new Map<string, XmlElement>();
  let index = 0;
  for (const name of HEADER_SEQUENCE) {
    const element = children[index];
    if (!element || !isOutbound(element, name)) {
      throw new SoapRejectedError(
        'SOAP_MISSING_ELEMENT',
        element
          ? `expected <${name}> in <notifications> at line ${element.line}, found ${describe(element)}`
          : `<notifications> ends before the required <${name}> element`,
      );
    }
    header.set(name, element);
    index++;
  }
  const rest = children.slice(index);
  if (rest.length === 0) {
    throw new SoapRejectedError(
      'SOAP_MISSING_ELEMENT',
      '<notifications> carries no <Notification> element',
    );
  }
  if (rest.length > MAX_NOTIFICATIONS_PER_MESSAGE) {
    throw new SoapRejectedError(
      'SOAP_TOO_MANY_NOTIFICATIONS',
      `message carries ${rest.length} notifications; Salesforce sends at most ${MAX_NOTIFICATIONS_PER_MESSAGE}`,
    );
  }

  const sessionElement = required(header, 'SessionId');
  const organizationId = idText(required(header, 'OrganizationId'), 'OrganizationId');
  const notificationList = rest.map((element) => parseNotification(element, options));
  const seen = new Set<string>();
  for (const notification of notificationList) {
    const key = notification.id.slice(0, 15);
    if (seen.has(key)) {
      // Salesforce never repeats an id inside one message; accepting it would silently drop one.
      throw new SoapRejectedError(
        'SOAP_DUPLICATE_NOTIFICATION',
        `notification ${notification.id} appears twice in one message`,
      );
    }
    seen.add(key);
  }
  return {
    organizationId,
    actionId: idText(required(header, 'ActionId'), 'ActionId'),
    sessionId: sessionElement.nil ? null : leafText(sessionElement, 'SessionId') || null,
    enterpriseUrl: apiUrlText(required(header, 'EnterpriseUrl'), 'EnterpriseUrl'),
    partnerUrl: apiUrlText(required(header, 'PartnerUrl'), 'PartnerUrl'),
    notifications: notificationList,
  };
}

function envelopeBody(envelope: XmlElement): XmlElement {
  if (envelope.local === 'Envelope' && envelope.uri !== SOAP_ENVELOPE_NS) {
    throw new SoapRejectedError(
      'SOAP_VERSION_MISMATCH',
      envelope.uri === SOAP12_ENVELOPE_NS
        ? 'this is a SOAP 1.2 envelope; Salesforce outbound messages are SOAP 1.1'
        : `envelope namespace ${JSON.stringify(envelope.uri)} is not SOAP 1.1 (${SOAP_ENVELOPE_NS})`,
    );
  }
  if (envelope.local !== 'Envelope') {
    throw new SoapRejectedError(
      'SOAP_NOT_OUTBOUND_MESSAGE',
      `root element is ${describe(envelope)}; expected a SOAP 1.1 Envelope`,
    );
  }
  assertNoText(envelope);
  let rest = envelope.children;
  const first = rest[0];
  if (first && first.uri === SOAP_ENVELOPE_NS && first.local === 'Header') {
    rejectMandatoryHeaders(first);
    rest = rest.slice(1);
  }
  const body = rest[0];
  if (!body || body.uri !== SOAP_ENVELOPE_NS || body.local !== 'Body') {
    throw new SoapRejectedError(
      'SOAP_MISSING_ELEMENT',
      body
        ? `expected the SOAP Body, found ${describe(body)} at line ${body.line}`
        : 'the envelope has no SOAP Body',
    );
  }
  if (rest.length > 1) {
    const extra = rest[1];
    throw new SoapRejectedError(
      'SOAP_UNEXPECTED_ELEMENT',
      `unexpected ${extra ? describe(extra) : 'element'} after the SOAP Body`,
    );
  }
  return body;
}

/** SOAP 1.1 §4.2.3: a header block we do not understand but must, is a MustUnderstand fault. */
function rejectMandatoryHeaders(header: XmlElement): void {
  for (const block of header.children) {
    const flag = block.attributes.get(`{${SOAP_ENVELOPE_NS}}mustUnderstand`);
    if (flag === '1' || flag === 'true') {
      throw new SoapRejectedError(
        'SOAP_MUST_UNDERSTAND',
        `header block ${describe(block)} is marked mustUnderstand; sf-relay understands no header blocks`,
      );
    }
  }
}

function parseNotification(element: XmlElement, options: ParseOptions): OutboundNotification {
  if (!isOutbound(element, 'Notification')) {
    throw new SoapRejectedError(
      'SOAP_UNEXPECTED_ELEMENT',
      `expected <Notification> at line ${element.line}, found ${describe(element)}`,
    );
  }
  assertNoText(element);
  const [idElement, sObjectElement, extra] = element.children;
  if (!idElement || !isOutbound(idElement, 'Id')) {
    throw new SoapRejectedError(
      'SOAP_MISSING_ELEMENT',
      `<Notification> at line ${element.line} does not start with its <Id>`,
    );
  }
  const id = idText(idElement, 'Notification Id');
  if (extra) {
    throw new SoapRejectedError(
      'SOAP_UNEXPECTED_ELEMENT',
      `unexpected ${describe(extra)} at line ${extra.line} in notification ${id}`,
    );
  }
  if (!sObjectElement) return { id, sObject: null };
  if (!isOutbound(sObjectElement, 'sObject')) {
    throw new SoapRejectedError(
      'SOAP_UNEXPECTED_ELEMENT',
      `expected <sObject> at line ${sObjectElement.line} in notification ${id}, found ${describe(sObjectElement)}`,
    );
  }
  return { id, sObject: parseSObject(sObjectElement, id, options) };
}

function parseSObject(
  element: XmlElement,
  notificationId: string,
  options: ParseOptions,
): SObjectRecord {
  assertNoText(element);
  if (element.xsiType && element.xsiType.uri !== SOBJECT_ENTERPRISE_NS) {
    throw new SoapRejectedError(
      'SOAP_INVALID_VALUE',
      `the sObject type of notification ${notificationId} is in namespace ${JSON.stringify(element.xsiType.uri)}; it must be ${SOBJECT_ENTERPRISE_NS}`,
    );
  }
  if (element.children.length > MAX_FIELDS_PER_SOBJECT) {
    throw new SoapRejectedError(
      'SOAP_TOO_MANY_ELEMENTS',
      `the sObject of notification ${notificationId} has ${element.children.length} fields; no Salesforce object has more than ${MAX_FIELDS_PER_SOBJECT}`,
    );
  }
  const type = element.xsiType?.local ?? options.defaultObjectType;
  if (type === undefined) {
    throw new SoapRejectedError(
      'SOAP_MISSING_ELEMENT',
      `the sObject of notification ${notificationId} has no xsi:type naming its object`,
    );
  }
  if (!isApiName(type)) {
    throw new SoapRejectedError(
      'SOAP_INVALID_VALUE',
      `the sObject type ${JSON.stringify(type)} of notification ${notificationId} is not a Salesforce API name`,
    );
  }
  let id: string | null = null;
  const fields: Record<string, FieldValue> = {};
  for (const [position, field] of element.children.entries()) {
    const where = `field ${field.local} of notification ${notificationId} (line ${field.line})`;
    if (field.uri !== SOBJECT_ENTERPRISE_NS) {
      throw new SoapRejectedError(
        'SOAP_UNEXPECTED_ELEMENT',
        `${where} is in namespace ${JSON.stringify(field.uri)}; sObject fields are in ${SOBJECT_ENTERPRISE_NS}`,
      );
    }
    if (field.local === 'Id') {
      if (position !== 0) {
        throw new SoapRejectedError(
          'SOAP_UNEXPECTED_ELEMENT',
          `${where}: Id must be the first field of the sObject`,
        );
      }
      id = idText(field, `record Id of notification ${notificationId}`);
      continue;
    }
    if (!isApiName(field.local)) {
      throw new SoapRejectedError('SOAP_INVALID_VALUE', `${where}: not a Salesforce field name`);
    }
    if (Object.hasOwn(fields, field.local)) {
      throw new SoapRejectedError('SOAP_UNEXPECTED_ELEMENT', `${where} appears twice`);
    }
    fields[field.local] = field.nil ? null : leafText(field, where);
  }
  return { type, id, fields };
}

function envelopeChildName(element: XmlElement): string {
  return element.uri === OUTBOUND_NS ? element.local : describe(element);
}

function onlyChild(parent: XmlElement, where: string): XmlElement {
  assertNoText(parent);
  const [first, second] = parent.children;
  if (!first) throw new SoapRejectedError('SOAP_MISSING_ELEMENT', `${where} is empty`);
  if (second) {
    throw new SoapRejectedError(
      'SOAP_UNEXPECTED_ELEMENT',
      `${where} holds more than one element (${envelopeChildName(first)}, ${envelopeChildName(second)})`,
    );
  }
  return first;
}

function isOutbound(element: XmlElement, local: string): boolean {
  return element.uri === OUTBOUND_NS && element.local === local;
}

function required(header: ReadonlyMap<string, XmlElement>, name: string): XmlElement {
  const element = header.get(name);
  // parseOutboundMessage fills every HEADER_SEQUENCE entry before calling this.
  if (!element) throw new SoapRejectedError('SOAP_MISSING_ELEMENT', `<${name}> is missing`);
  return element;
}

/** Structural elements hold elements only; stray text means a broken or forged message. */
function assertNoText(element: XmlElement): void {
  if (element.text.trim() !== '') {
    throw new SoapRejectedError(
      'SOAP_UNEXPECTED_ELEMENT',
      `<${element.local}> at line ${element.line} holds text where only elements belong`,
    );
  }
}

function leafText(element: XmlElement, where: string): string {
  const child = element.children[0];
  if (child) {
    throw new SoapRejectedError(
      'SOAP_UNEXPECTED_ELEMENT',
      `${where} must hold text, but holds the element ${describe(child)} at line ${child.line}`,
    );
  }
  return element.text;
}

function idText(element: XmlElement, what: string): string {
  const value = leafText(element, what).trim();
  if (!isSalesforceId(value)) {
    throw new SoapRejectedError(
      'SOAP_INVALID_ID',
      `${what} ${JSON.stringify(value.slice(0, 40))} at line ${element.line} is not a 15- or 18-character Salesforce id`,
    );
  }
  return value;
}

function apiUrlText(element: XmlElement, what: string): string {
  const value = leafText(element, what).trim();
  checkApiUrl(value, what);
  return value;
}
