import { isApiName } from './api-name.ts';
import { isApiUrl } from './api-url.ts';
import { HEADER_SEQUENCE, MAX_FIELDS_PER_SOBJECT } from './outbound-grammar.ts';
import {
  MAX_NOTIFICATIONS_PER_MESSAGE,
  OUTBOUND_NS,
  SOAP_ENVELOPE_NS,
  SOBJECT_ENTERPRISE_NS,
  XSI_NS,
  type FieldValue,
  type OutboundMessage,
  type OutboundNotification,
  type SObjectRecord,
} from './outbound-message.ts';
import type { ParseOptions } from './parse-outbound-message.ts';
import { DEFAULT_XML_LIMITS, type XmlReadLimits } from './read-xml.ts';
import { isSalesforceId } from './salesforce-id.ts';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/**
 * Anything the scanner leaves to the tree reader, found in one native pass: characters outside
 * XML 1.0's Char production, and CR, whose end-of-line normalisation the scanner does not do
 * (Salesforce escapes it as a character reference; a raw one only comes from a hand-made file).
 */
const NOT_SCANNED_CHARACTER = /[^\t\n\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
/**
 * The same for text decoded from UTF-8, which holds no lone surrogate: without the `u` flag the
 * test runs several times faster.
 */
const NOT_SCANNED_IN_DECODED = /[^\t\n\u0020-\uFFFD]/;
/** Attribute values are normalised by XML parsers (whitespace) and may hold references: left to the tree reader. */
const NOT_SCANNED_IN_ATTRIBUTE = /[<&\t\n]/;
/** The declaration the tree reader accepts: XML 1.0, UTF-8 (or none), in the common spellings. */
const XML_DECLARATION =
  /<\?xml[ \t\n]+version=(?:"1\.0"|'1\.0')(?:[ \t\n]+encoding=(?:"[uU][tT][fF]-?8"|'[uU][tT][fF]-?8'))?(?:[ \t\n]+standalone=(?:"(?:yes|no)"|'(?:yes|no)'))?[ \t\n]*\?>/y;
const HEX_REFERENCE = /^[0-9a-fA-F]{1,6}$/;
const DECIMAL_REFERENCE = /^[0-9]{1,7}$/;

const GREATER_THAN = 0x3e;
const SLASH = 0x2f;
const EQUALS = 0x3d;
const COLON = 0x3a;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;

/** The prefixes XML binds before any declaration (Namespaces in XML 1.0 §3). */
const PREDECLARED: ReadonlyMap<string, string> = new Map([
  ['xml', XML_NS],
  ['xmlns', XMLNS_NS],
]);
const KNOWN_NAMESPACES: ReadonlyMap<string, string> = new Map(
  [SOAP_ENVELOPE_NS, OUTBOUND_NS, SOBJECT_ENTERPRISE_NS, XSI_NS].map((uri) => [uri, uri]),
);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** What each open element is to the outbound-message grammar. */
const Role = {
  Document: 0,
  Envelope: 1,
  Header: 2,
  HeaderBlock: 3,
  InsideHeaderBlock: 4,
  Body: 5,
  Notifications: 6,
  HeaderField: 7,
  Notification: 8,
  NotificationId: 9,
  SObject: 10,
  RecordId: 11,
  Field: 12,
} as const;
type Role = (typeof Role)[keyof typeof Role];

interface Frame {
  /** The qualified name as written, which the end tag must repeat. */
  qname: string;
  /** Every prefix bound where this element stands: its parent's map unless it declares one. */
  scope: ReadonlyMap<string, string>;
  role: Role;
  children: number;
  text: string;
  nil: boolean;
  /** HeaderField: its position in HEADER_SEQUENCE; Field: unused. */
  index: number;
  /** Field: the field's API name. */
  local: string;
}

/** Thrown inside the scan when the tree reader must decide; never leaves this module. */
class NotCertain extends Error {}
const NOT_CERTAIN = new NotCertain('left to the tree reader');

/**
 * Reads an outbound message in one pass over its text, without building a tree: it keeps only
 * the open elements' namespace declarations and the values the message is made of, and checks
 * the rules of `parseOutboundMessageByTree` (well-formedness, namespaces by URI, the five
 * entities and character references, the size, depth, attribute and element limits, the XSD
 * sequence, ids, URLs, names) as the tags go by.
 *
 * It returns a message only when it is certain the tree reader would return the same one. For
 * anything else — every refusal, and legal but unused constructs (comments, CDATA, processing
 * instructions, references in attribute values, non-ASCII names, raw CR) — it returns
 * undefined, and the caller asks the tree reader, so which refusal a broken message gets stays
 * exactly what it was.
 */
export function scanOutboundMessage(
  input: string | Uint8Array,
  options: ParseOptions = {},
): OutboundMessage | undefined {
  const limits = options.limits ?? DEFAULT_XML_LIMITS;
  let text: string;
  let notScanned = NOT_SCANNED_IN_DECODED;
  if (typeof input === 'string') {
    // A BOM in a string was not decoded by us; whether it is skipped is the tree reader's call.
    if (input.charCodeAt(0) === 0xfeff) return undefined;
    if (Buffer.byteLength(input, 'utf8') > limits.maxBytes) return undefined;
    text = input;
    notScanned = NOT_SCANNED_CHARACTER;
  } else {
    if (input.byteLength > limits.maxBytes) return undefined;
    try {
      text = utf8.decode(input);
    } catch {
      return undefined;
    }
  }
  if (text.length === 0 || notScanned.test(text)) return undefined;
  try {
    return new Scan(text, limits, options.defaultObjectType).run();
  } catch (error) {
    if (error === NOT_CERTAIN) return undefined;
    throw error;
  }
}

class Scan {
  private readonly frames: Frame[] = [];
  private depth = 0;
  private elements = 0;
  private rootClosed = false;
  private sawHeader = false;
  private sawBody = false;
  // Attributes of the tag being read, reused from tag to tag.
  private readonly attributeNames: string[] = [];
  private readonly attributeValues: string[] = [];
  private readonly expandedNames: string[] = [];

  private readonly header: (string | null)[] = [];
  private readonly notifications: OutboundNotification[] = [];
  private readonly seenIds = new Set<string>();
  private notificationId: string | null = null;
  private sObject: SObjectRecord | null = null;
  private objectType = '';
  private recordId: string | null = null;
  private fields: Record<string, FieldValue> = {};

  private readonly s: string;
  private readonly limits: XmlReadLimits;
  private readonly defaultObjectType: string | undefined;

  constructor(s: string, limits: XmlReadLimits, defaultObjectType: string | undefined) {
    this.s = s;
    this.limits = limits;
    this.defaultObjectType = defaultObjectType;
    this.frames.push(newFrame(Role.Document));
  }

  run(): OutboundMessage {
    const s = this.s;
    let at = 0;
    if (s.startsWith('<?xml', 0)) {
      XML_DECLARATION.lastIndex = 0;
      if (!XML_DECLARATION.test(s)) throw NOT_CERTAIN;
      at = XML_DECLARATION.lastIndex;
    }
    for (;;) {
      const lessThan = s.indexOf('<', at);
      const end = lessThan === -1 ? s.length : lessThan;
      if (end > at) this.text(at, end);
      if (lessThan === -1) break;
      const next = s.charCodeAt(lessThan + 1);
      at = next === SLASH ? this.endTag(lessThan + 2) : this.startTag(lessThan + 1);
    }
    if (this.depth !== 0 || !this.rootClosed) throw NOT_CERTAIN;
    const [organizationId, actionId, sessionId, enterpriseUrl, partnerUrl] = this.header;
    if (
      typeof organizationId !== 'string' ||
      typeof actionId !== 'string' ||
      typeof enterpriseUrl !== 'string' ||
      typeof partnerUrl !== 'string' ||
      sessionId === undefined
    ) {
      throw NOT_CERTAIN;
    }
    return {
      organizationId,
      actionId,
      sessionId,
      enterpriseUrl,
      partnerUrl,
      notifications: this.notifications,
    };
  }

  /** A start tag from its name (just after `<`); returns where the text after it begins. */
  private startTag(from: number): number {
    const s = this.s;
    const nameEnd = this.qnameEnd(from);
    const qname = s.slice(from, nameEnd);
    let count = 0;
    let at = nameEnd;
    let selfClosing: boolean;
    for (;;) {
      const afterSpace = skipSpace(s, at);
      const c = s.charCodeAt(afterSpace);
      if (c === GREATER_THAN) {
        selfClosing = false;
        at = afterSpace + 1;
        break;
      }
      if (c === SLASH) {
        if (s.charCodeAt(afterSpace + 1) !== GREATER_THAN) throw NOT_CERTAIN;
        selfClosing = true;
        at = afterSpace + 2;
        break;
      }
      // Attributes are separated by whitespace; `a="1"b="2"` is not well-formed.
      if (afterSpace === at) throw NOT_CERTAIN;
      const attributeEnd = this.qnameEnd(afterSpace);
      if (s.charCodeAt(attributeEnd) !== EQUALS) throw NOT_CERTAIN;
      const quote = s.charCodeAt(attributeEnd + 1);
      if (quote !== DOUBLE_QUOTE && quote !== SINGLE_QUOTE) throw NOT_CERTAIN;
      const close = s.indexOf(quote === DOUBLE_QUOTE ? '"' : "'", attributeEnd + 2);
      if (close === -1) throw NOT_CERTAIN;
      const value = s.slice(attributeEnd + 2, close);
      if (NOT_SCANNED_IN_ATTRIBUTE.test(value)) throw NOT_CERTAIN;
      this.attributeNames[count] = s.slice(afterSpace, attributeEnd);
      this.attributeValues[count] = value;
      count++;
      at = close + 1;
    }
    this.open(qname, count);
    if (selfClosing) this.close();
    return at;
  }

  /** An end tag from its name (just after `</`); returns where the text after it begins. */
  private endTag(from: number): number {
    const s = this.s;
    const frame = this.frames[this.depth];
    if (this.depth === 0 || frame === undefined) throw NOT_CERTAIN;
    // The name must repeat the start tag's; `>` or whitespace after it ends it there.
    if (!s.startsWith(frame.qname, from)) throw NOT_CERTAIN;
    const afterSpace = skipSpace(s, from + frame.qname.length);
    if (s.charCodeAt(afterSpace) !== GREATER_THAN) throw NOT_CERTAIN;
    this.close();
    return afterSpace + 1;
  }

  /** The end of an ASCII QName (`NCName` or `NCName:NCName`) starting at `from`. */
  private qnameEnd(from: number): number {
    const s = this.s;
    let at = ncNameEnd(s, from);
    if (s.charCodeAt(at) === COLON) at = ncNameEnd(s, at + 1);
    return at;
  }

  private open(qname: string, count: number): void {
    const limits = this.limits;
    this.elements++;
    if (limits.maxElements !== undefined && this.elements > limits.maxElements) throw NOT_CERTAIN;
    const depth = this.depth + 1;
    if (depth > limits.maxDepth || count > limits.maxAttributes) throw NOT_CERTAIN;
    const parent = this.frames[this.depth];
    if (parent === undefined) throw NOT_CERTAIN;
    let frame = this.frames[depth];
    if (frame === undefined) {
      frame = newFrame(Role.Document);
      this.frames[depth] = frame;
    }
    frame.qname = qname;
    frame.scope = parent.scope;
    frame.children = 0;
    frame.text = '';
    frame.nil = false;
    frame.index = 0;
    frame.local = '';
    this.depth = depth;

    const names = this.attributeNames;
    const values = this.attributeValues;
    let declared: Map<string, string> | null = null;
    for (let i = 0; i < count; i++) {
      const name = names[i] ?? '';
      if (name === 'xmlns') {
        declared ??= new Map(parent.scope);
        declared.set('', namespaceName(values[i] ?? ''));
      } else if (name.startsWith('xmlns:')) {
        const prefix = name.slice(6);
        const uri = namespaceName(values[i] ?? '');
        // XML 1.0 cannot undeclare a prefix, and xml/xmlns are bound once for all.
        if (uri === '' || prefix === 'xml' || prefix === 'xmlns') throw NOT_CERTAIN;
        declared ??= new Map(parent.scope);
        declared.set(prefix, uri);
      }
    }
    if (declared !== null) frame.scope = declared;

    const colon = qname.indexOf(':');
    const prefix = colon === -1 ? '' : qname.slice(0, colon);
    const local = colon === -1 ? qname : qname.slice(colon + 1);
    let uri = this.resolve(prefix);
    if (prefix !== '' && (prefix === 'xmlns' || uri === undefined || uri === '')) {
      throw NOT_CERTAIN;
    }
    uri ??= '';

    let xsiType: string | undefined;
    let mustUnderstand: string | undefined;
    const expanded = this.expandedNames;
    for (let i = 0; i < count; i++) {
      const name = names[i] ?? '';
      const value = values[i] ?? '';
      const attributeColon = name.indexOf(':');
      let key = name;
      if (attributeColon !== -1) {
        const attributeUri = this.resolve(name.slice(0, attributeColon));
        if (attributeUri === undefined) throw NOT_CERTAIN;
        const attributeLocal = name.slice(attributeColon + 1);
        key = `{${attributeUri}}${attributeLocal}`;
        if (attributeUri === XSI_NS) {
          if (attributeLocal === 'type') xsiType = value;
          else if (attributeLocal === 'nil') frame.nil = value === 'true' || value === '1';
        } else if (attributeUri === SOAP_ENVELOPE_NS && attributeLocal === 'mustUnderstand') {
          mustUnderstand = value;
        }
      }
      for (let j = 0; j < i; j++) if (expanded[j] === key) throw NOT_CERTAIN;
      expanded[i] = key;
    }
    const typeName = xsiType === undefined ? undefined : this.resolveXsiType(xsiType);

    frame.role = this.childRole(parent, frame, uri, local, typeName, mustUnderstand);
    parent.children++;
  }

  /** Where `uri`/`local` may stand under `parent`; anything the grammar does not allow is left to the tree reader. */
  private childRole(
    parent: Frame,
    frame: Frame,
    uri: string,
    local: string,
    typeName: { uri: string; local: string } | undefined,
    mustUnderstand: string | undefined,
  ): Role {
    const position = parent.children;
    switch (parent.role) {
      case Role.Document:
        if (position !== 0 || uri !== SOAP_ENVELOPE_NS || local !== 'Envelope') break;
        return Role.Envelope;
      case Role.Envelope:
        if (uri !== SOAP_ENVELOPE_NS || this.sawBody) break;
        if (local === 'Header' && position === 0) {
          this.sawHeader = true;
          return Role.Header;
        }
        if (local === 'Body' && position === (this.sawHeader ? 1 : 0)) {
          this.sawBody = true;
          return Role.Body;
        }
        break;
      case Role.Header:
        // SOAP 1.1 §4.2.3: a block we must understand is a fault, which the tree reader words.
        if (mustUnderstand === '1' || mustUnderstand === 'true') break;
        return Role.HeaderBlock;
      case Role.HeaderBlock:
      case Role.InsideHeaderBlock:
        return Role.InsideHeaderBlock;
      case Role.Body:
        if (position !== 0 || uri !== OUTBOUND_NS || local !== 'notifications') break;
        return Role.Notifications;
      case Role.Notifications: {
        if (uri !== OUTBOUND_NS) break;
        if (position < HEADER_SEQUENCE.length) {
          if (local !== HEADER_SEQUENCE[position]) break;
          frame.index = position;
          return Role.HeaderField;
        }
        if (local !== 'Notification') break;
        if (position - HEADER_SEQUENCE.length >= MAX_NOTIFICATIONS_PER_MESSAGE) break;
        this.notificationId = null;
        this.sObject = null;
        return Role.Notification;
      }
      case Role.Notification:
        if (uri !== OUTBOUND_NS) break;
        if (position === 0 && local === 'Id') return Role.NotificationId;
        if (position === 1 && local === 'sObject') {
          if (typeName !== undefined && typeName.uri !== SOBJECT_ENTERPRISE_NS) break;
          const type = typeName?.local ?? this.defaultObjectType;
          if (type === undefined || !isApiName(type)) break;
          this.objectType = type;
          this.recordId = null;
          this.fields = {};
          return Role.SObject;
        }
        break;
      case Role.SObject:
        if (uri !== SOBJECT_ENTERPRISE_NS || position >= MAX_FIELDS_PER_SOBJECT) break;
        if (local === 'Id') {
          if (position !== 0) break;
          return Role.RecordId;
        }
        if (!isApiName(local) || Object.hasOwn(this.fields, local)) break;
        frame.local = local;
        return Role.Field;
      default:
        // Leaves (header fields, ids, fields) hold text only.
        break;
    }
    throw NOT_CERTAIN;
  }

  private close(): void {
    const frame = this.frames[this.depth];
    if (frame === undefined) throw NOT_CERTAIN;
    switch (frame.role) {
      case Role.Envelope:
        if (!this.sawBody) throw NOT_CERTAIN;
        break;
      case Role.Body:
        if (frame.children === 0) throw NOT_CERTAIN;
        break;
      case Role.Notifications:
        if (frame.children <= HEADER_SEQUENCE.length) throw NOT_CERTAIN;
        break;
      case Role.HeaderField:
        this.header[frame.index] = headerValue(frame);
        break;
      case Role.NotificationId:
        this.notificationId = salesforceId(frame.text);
        break;
      case Role.RecordId:
        this.recordId = salesforceId(frame.text);
        break;
      case Role.Field:
        this.fields[frame.local] = frame.nil ? null : frame.text;
        break;
      case Role.SObject:
        this.sObject = { type: this.objectType, id: this.recordId, fields: this.fields };
        break;
      case Role.Notification: {
        const id = this.notificationId;
        if (id === null) throw NOT_CERTAIN;
        const key = id.slice(0, 15);
        if (this.seenIds.has(key)) throw NOT_CERTAIN;
        this.seenIds.add(key);
        this.notifications.push({ id, sObject: this.sObject });
        break;
      }
      default:
        break;
    }
    this.depth--;
    if (this.depth === 0) this.rootClosed = true;
  }

  /** Character data between `from` and `to`, in whatever element is open. */
  private text(from: number, to: number): void {
    const s = this.s;
    const frame = this.frames[this.depth];
    if (frame === undefined) throw NOT_CERTAIN;
    const role = frame.role;
    if (role === Role.Document) {
      // Outside the root only whitespace is well-formed (the declaration was read already).
      if (skipSpace(s, from) < to) throw NOT_CERTAIN;
      return;
    }
    const leaf =
      role === Role.HeaderField ||
      role === Role.NotificationId ||
      role === Role.RecordId ||
      role === Role.Field;
    const structural =
      !leaf && role !== Role.Header && role !== Role.HeaderBlock && role !== Role.InsideHeaderBlock;
    // The usual case between structural tags: indentation, nothing to decode.
    if (structural && skipSpace(s, from) >= to) return;
    const raw = s.slice(from, to);
    if (raw.includes(']]>')) throw NOT_CERTAIN;
    const decoded = raw.includes('&') ? decodeReferences(raw) : raw;
    if (leaf) frame.text += decoded;
    else if (structural && decoded.trim() !== '') throw NOT_CERTAIN;
  }

  /** The namespace bound to `prefix` where the current element stands (its own declarations included). */
  private resolve(prefix: string): string | undefined {
    return this.frames[this.depth]?.scope.get(prefix);
  }

  private resolveXsiType(value: string): { uri: string; local: string } {
    const trimmed = value.trim();
    const colon = trimmed.indexOf(':');
    const uri = this.resolve(colon === -1 ? '' : trimmed.slice(0, colon));
    if (uri === undefined) throw NOT_CERTAIN;
    return { uri, local: colon === -1 ? trimmed : trimmed.slice(colon + 1) };
  }
}

function newFrame(role: Role): Frame {
  return {
    qname: '',
    scope: PREDECLARED,
    role,
    children: 0,
    text: '',
    nil: false,
    index: 0,
    local: '',
  };
}

/**
 * A namespace name as declared (XML parsers trim it); the grammar's own namespaces come back as
 * the very constants they are compared with, so those comparisons are by identity.
 */
function namespaceName(value: string): string {
  const trimmed = value.trim();
  if (trimmed === XML_NS || trimmed === XMLNS_NS) throw NOT_CERTAIN;
  return KNOWN_NAMESPACES.get(trimmed) ?? trimmed;
}

function headerValue(frame: Frame): string | null {
  const name = HEADER_SEQUENCE[frame.index];
  if (name === 'SessionId') return frame.nil ? null : frame.text || null;
  if (name === 'EnterpriseUrl' || name === 'PartnerUrl') {
    const url = frame.text.trim();
    if (!isApiUrl(url)) throw NOT_CERTAIN;
    return url;
  }
  return salesforceId(frame.text);
}

function salesforceId(text: string): string {
  const id = text.trim();
  if (!isSalesforceId(id)) throw NOT_CERTAIN;
  return id;
}

/** XML whitespace (CR never reaches here). */
function skipSpace(s: string, from: number): number {
  let at = from;
  for (;;) {
    const c = s.charCodeAt(at);
    if (c !== 0x20 && c !== 0x0a && c !== 0x09) return at;
    at++;
  }
}

/** The end of an ASCII NCName at `from`; a name that does not start there is left to the tree reader. */
function ncNameEnd(s: string, from: number): number {
  const first = s.charCodeAt(from);
  const startsName =
    (first >= 0x61 && first <= 0x7a) || (first >= 0x41 && first <= 0x5a) || first === 0x5f;
  if (!startsName) throw NOT_CERTAIN;
  let at = from + 1;
  for (;;) {
    const c = s.charCodeAt(at);
    const inName =
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x5f ||
      c === 0x2d ||
      c === 0x2e;
    if (!inName) return at;
    at++;
  }
}

/** The five predefined entities and character references of XML 1.0 Char; any other is left to the tree reader. */
function decodeReferences(raw: string): string {
  let out = '';
  let last = 0;
  for (let amp = raw.indexOf('&'); amp !== -1; amp = raw.indexOf('&', last)) {
    const semicolon = raw.indexOf(';', amp + 1);
    if (semicolon === -1) throw NOT_CERTAIN;
    out += raw.slice(last, amp) + reference(raw.slice(amp + 1, semicolon));
    last = semicolon + 1;
  }
  return out + raw.slice(last);
}

function reference(name: string): string {
  switch (name) {
    case 'amp':
      return '&';
    case 'lt':
      return '<';
    case 'gt':
      return '>';
    case 'quot':
      return '"';
    case 'apos':
      return "'";
    default:
      break;
  }
  if (name.charCodeAt(0) !== 0x23) throw NOT_CERTAIN;
  const hex = name.charCodeAt(1) === 0x78;
  const digits = name.slice(hex ? 2 : 1);
  if (!(hex ? HEX_REFERENCE : DECIMAL_REFERENCE).test(digits)) throw NOT_CERTAIN;
  const code = Number.parseInt(digits, hex ? 16 : 10);
  const isChar =
    code === 0x09 ||
    code === 0x0a ||
    code === 0x0d ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff);
  if (!isChar) throw NOT_CERTAIN;
  return String.fromCodePoint(code);
}
