import { SaxesParser, type SaxesTagNS } from 'saxes';
import { SoapRejectedError } from './errors.ts';
import { messageOf } from '../shared/index.ts';
import { XSI_NS } from './outbound-message.ts';
import { createStartTagCounter } from './count-start-tags.ts';

export interface XmlReadLimits {
  /** Largest accepted document, in bytes. */
  readonly maxBytes: number;
  /** Deepest accepted element nesting (the root element is depth 1). */
  readonly maxDepth: number;
  /** Most attributes (namespace declarations included) on one element. */
  readonly maxAttributes: number;
  /**
   * Most elements in the document. Building and checking a tree costs time and memory per
   * element; 100 notifications of a few hundred fields stay far below the default.
   */
  readonly maxElements?: number;
}

export const DEFAULT_XML_LIMITS: XmlReadLimits = {
  maxBytes: 2 * 1024 * 1024,
  maxDepth: 32,
  maxAttributes: 64,
  maxElements: 110_000,
};

/** A qualified name resolved to its namespace URI: prefixes are never compared. */
export interface QName {
  readonly uri: string;
  readonly local: string;
}

export interface XmlElement extends QName {
  /** Attributes keyed by `{uri}local` (`local` alone when unqualified). */
  readonly attributes: ReadonlyMap<string, string>;
  /** `xsi:type`, resolved against the namespaces in scope where it appeared. */
  readonly xsiType: QName | null;
  readonly nil: boolean;
  readonly children: XmlElement[];
  /** The element's own character data (entity references already decoded). */
  text: string;
  /** 1-based line of the start tag, for error messages. */
  readonly line: number;
}

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function describe(name: QName): string {
  return name.uri === '' ? name.local : `{${name.uri}}${name.local}`;
}

/**
 * Reads a whole XML document into a small element tree, refusing what an outbound message
 * never needs and an attacker would use: any DOCTYPE (so no entity expansion and no external
 * entity is ever fetched), entities other than the five predefined ones, non-UTF-8 text, and
 * documents over the size, depth or attribute limits. Nothing here does I/O.
 */
export function readXml(
  input: string | Uint8Array,
  limits: XmlReadLimits = DEFAULT_XML_LIMITS,
): XmlElement {
  // Long on purpose: the saxes handlers share the element stack, counters and limits; apart, each would need all of them.
  const byteLength =
    typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (byteLength > limits.maxBytes) {
    throw new SoapRejectedError(
      'SOAP_TOO_LARGE',
      `message is ${byteLength} bytes; the limit is ${limits.maxBytes} bytes`,
    );
  }
  if (byteLength === 0) throw new SoapRejectedError('SOAP_MALFORMED', 'message body is empty');
  // A tree costs ~10 µs per element on the event loop; a scan for start tags costs nanoseconds,
  // so a body of 500 000 `<a/>` is refused before any of it is parsed.
  if (limits.maxElements !== undefined && startTagsAtLeast(input, limits.maxElements + 1)) {
    throw new SoapRejectedError(
      'SOAP_TOO_MANY_ELEMENTS',
      `message has more than ${limits.maxElements} elements`,
    );
  }
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = utf8.decode(input);
    } catch (cause) {
      throw new SoapRejectedError('SOAP_MALFORMED', 'message body is not valid UTF-8', { cause });
    }
  }

  const parser = new SaxesParser({ xmlns: true, position: true });
  // saxes consults ENTITIES only for a named reference; failing there names the entity instead
  // of saxes' generic "undefined entity", and keeps any non-predefined entity from resolving.
  parser.ENTITIES = new Proxy(PREDEFINED_ENTITIES, {
    get(target, name) {
      if (typeof name === 'string' && Object.hasOwn(target, name)) return target[name];
      throw new SoapRejectedError(
        'SOAP_ENTITY_FORBIDDEN',
        `entity reference &${String(name)}; at line ${parser.line} is not allowed: only &amp; &lt; &gt; &quot; &apos; and numeric character references are`,
      );
    },
  }) as Record<string, string>;

  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;

  let elements = 0;
  parser.on('xmldecl', (decl) => {
    // XML 1.1 admits control characters that no XML 1.0 document (our replies, our callbacks) can carry.
    if (decl.version !== undefined && decl.version !== '1.0') {
      throw new SoapRejectedError(
        'SOAP_ENCODING_UNSUPPORTED',
        `XML version ${JSON.stringify(decl.version)} is not accepted; outbound messages are XML 1.0`,
      );
    }
    const encoding = decl.encoding?.toLowerCase();
    if (encoding !== undefined && encoding !== 'utf-8' && encoding !== 'utf8') {
      throw new SoapRejectedError(
        'SOAP_ENCODING_UNSUPPORTED',
        `XML declaration names encoding ${JSON.stringify(decl.encoding)}; only UTF-8 is accepted`,
      );
    }
  });
  parser.on('doctype', () => {
    throw new SoapRejectedError(
      'SOAP_DTD_FORBIDDEN',
      `a DOCTYPE declaration at line ${parser.line} is not allowed in a SOAP message`,
    );
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    elements++;
    if (limits.maxElements !== undefined && elements > limits.maxElements) {
      throw new SoapRejectedError(
        'SOAP_TOO_MANY_ELEMENTS',
        `message has more than ${limits.maxElements} elements`,
      );
    }
    const depth = stack.length + 1;
    if (depth > limits.maxDepth) {
      throw new SoapRejectedError(
        'SOAP_TOO_DEEP',
        `element <${tag.name}> at line ${parser.line} is nested ${depth} deep; the limit is ${limits.maxDepth}`,
      );
    }
    const rawAttributes = Object.values(tag.attributes);
    if (rawAttributes.length > limits.maxAttributes) {
      throw new SoapRejectedError(
        'SOAP_TOO_MANY_ATTRIBUTES',
        `element <${tag.name}> at line ${parser.line} has ${rawAttributes.length} attributes; the limit is ${limits.maxAttributes}`,
      );
    }
    const attributes = new Map<string, string>();
    for (const attribute of rawAttributes) {
      attributes.set(
        attribute.uri === '' ? attribute.local : `{${attribute.uri}}${attribute.local}`,
        attribute.value,
      );
    }
    const element: XmlElement = {
      uri: tag.uri,
      local: tag.local,
      attributes,
      xsiType: resolveXsiType(attributes.get(`{${XSI_NS}}type`), parser, tag.name),
      nil: attributes.get(`{${XSI_NS}}nil`) === 'true' || attributes.get(`{${XSI_NS}}nil`) === '1',
      children: [],
      text: '',
      line: parser.line,
    };
    const parent = stack.at(-1);
    if (parent) parent.children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const appendText = (data: string): void => {
    const current = stack.at(-1);
    if (current) current.text += data;
  };
  parser.on('text', appendText);
  parser.on('cdata', appendText);

  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof SoapRejectedError) throw error;
    throw new SoapRejectedError(
      'SOAP_MALFORMED',
      `message is not well-formed XML: ${messageOf(error)}`,
      {
        cause: error,
      },
    );
  }
  if (root === null) throw new SoapRejectedError('SOAP_MALFORMED', 'message has no root element');
  return root;
}

function resolveXsiType(
  value: string | undefined,
  parser: SaxesParser<{ xmlns: true }>,
  tagName: string,
): QName | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  const colon = trimmed.indexOf(':');
  const prefix = colon === -1 ? '' : trimmed.slice(0, colon);
  const local = colon === -1 ? trimmed : trimmed.slice(colon + 1);
  const uri = parser.resolve(prefix);
  if (uri === undefined) {
    throw new SoapRejectedError(
      'SOAP_MALFORMED',
      `xsi:type ${JSON.stringify(value)} on <${tagName}> at line ${parser.line} uses the undeclared prefix ${JSON.stringify(prefix)}`,
    );
  }
  return { uri, local };
}

/**
 * True when the document has at least `count` start tags (see `countStartTags`), so a body of
 * 500 000 `<a/>` is refused before a tree is built for any of it.
 */
function startTagsAtLeast(input: string | Uint8Array, count: number): boolean {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  return createStartTagCounter()(bytes) >= count;
}
