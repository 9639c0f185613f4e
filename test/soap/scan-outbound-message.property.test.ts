import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_XML_LIMITS,
  renderOutboundMessage,
  SoapRejectedError,
  type OutboundMessage,
  type XmlReadLimits,
} from '../../src/soap/index.ts';
import {
  parseOutboundMessage,
  parseOutboundMessageByTree,
  type ParseOptions,
} from '../../src/soap/parse-outbound-message.ts';
import { scanOutboundMessage } from '../../src/soap/scan-outbound-message.ts';
import { hostileSampleNames, sample } from '../support/samples.ts';
import { mutate, mutation, outboundMessage } from '../support/outbound-message-arbitrary.ts';

type Outcome = { message: OutboundMessage; fieldOrder: string[][] } | { code: string };

function outcomeOf(read: () => OutboundMessage): Outcome {
  try {
    const message = read();
    return {
      message,
      fieldOrder: message.notifications.map((n) => Object.keys(n.sObject?.fields ?? {})),
    };
  } catch (error) {
    if (error instanceof SoapRejectedError) return { code: error.code };
    throw error;
  }
}

let scanned = 0;
let deferred = 0;

/**
 * The scanner may leave any input to the tree reader, but whatever it returns must be exactly
 * what the tree reader returns, and the front door must answer exactly as the tree reader does.
 */
function expectAgreement(input: string | Uint8Array, options: ParseOptions = {}): void {
  const reference = outcomeOf(() => parseOutboundMessageByTree(input, options));
  const scan = scanOutboundMessage(input, options);
  if (scan === undefined) {
    deferred++;
  } else {
    scanned++;
    expect(reference).toEqual(outcomeOf(() => scan));
  }
  expect(outcomeOf(() => parseOutboundMessage(input, options))).toEqual(reference);
}

const SAMPLES = [
  'opportunity-closed-won.xml',
  'batch-of-three-other-prefixes.xml',
  'no-session-id.xml',
  ...hostileSampleNames(),
].map((name) => sample(name).toString('utf8'));

const HUNDRED: OutboundMessage = {
  organizationId: '00D5g000004XyZ1EAK',
  actionId: '04k5g000000AbCdAAK',
  sessionId: null,
  enterpriseUrl: 'https://acme.my.salesforce.com/services/Soap/c/60.0/00D5g000004XyZ1',
  partnerUrl: 'https://acme.my.salesforce.com/services/Soap/u/60.0/00D5g000004XyZ1',
  notifications: Array.from({ length: 100 }, (_, i) => ({
    id: `04l5g00000Ab${String(i).padStart(3, '0')}AAV`,
    sObject: {
      type: 'Opportunity',
      id: `0065g00000Q1${String(i).padStart(3, '0')}AAB`,
      fields: { Amount: '12000.0', Name: `Deal ${i} & <co>`, StageName: 'Closed Won' },
    },
  })),
};

/** Pieces that reach the corners of the grammar: namespaces, references, limits, rare syntax. */
const SNIPPETS = [
  ' xmlns:x="urn:x"',
  ' xmlns=""',
  ' xmlns:sf="urn:sobject.enterprise.soap.sforce.com"',
  ' xmlns:om="http://soap.sforce.com/2005/09/outbound"',
  ' xmlns:xml="http://www.w3.org/XML/1998/namespace"',
  ' xsi:type="x:Y"',
  ' xsi:type="Opportunity"',
  ' xsi:nil="1"',
  ' xsi:nil="false"',
  ' a="1"',
  " a='&amp;'",
  ' soapenv:mustUnderstand="1"',
  ' S:mustUnderstand="true"',
  '&#13;',
  '&#x0;',
  '&#xD800;',
  '&#65;',
  '&#X41;',
  '&amp;',
  '&nbsp;',
  '\r',
  '\r\n',
  '\t',
  '\u00a0',
  '\ufeff',
  '<!-- c -->',
  '<![CDATA[x]]>',
  '<?pi x?>',
  '<a/>',
  '</a>',
  '<sf:Id>0065g00000Q1w2eAAB</sf:Id>',
  '<Id>04l5g00000AbCdEAAV</Id>',
  '<soapenv:Header><h xmlns="urn:h">1</h></soapenv:Header>',
  ':',
  '=',
  '"',
  "'",
  ' ',
  '>',
  '/',
];

const richMutation = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'duplicate', 'replace') as fc.Arbitrary<
    'delete' | 'insert' | 'duplicate' | 'replace'
  >,
  at: fc.nat(),
  length: fc.nat({ max: 64 }),
  text: fc.oneof(fc.constantFrom(...SNIPPETS), fc.string({ maxLength: 4 })),
});

/** An insertion just before the n-th `>` or `<`: an attribute, or text or an element between tags. */
const alignedInsertion = fc.record({
  anchor: fc.constantFrom('>', '<'),
  nth: fc.nat(),
  text: fc.constantFrom(...SNIPPETS),
});

function insertAligned(
  xml: string,
  insertions: readonly { anchor: string; nth: number; text: string }[],
): string {
  let out = xml;
  for (const { anchor, nth, text } of insertions) {
    const positions = [...out.matchAll(anchor === '>' ? />/g : /</g)].map((m) => m.index);
    const at = positions.length === 0 ? 0 : (positions[nth % positions.length] ?? 0);
    // Before a self-closing `/>`, so an attribute lands inside the tag.
    const before = anchor === '>' && out[at - 1] === '/' ? at - 1 : at;
    out = out.slice(0, before) + text + out.slice(before);
  }
  return out;
}

const realMessage = fc.oneof(
  fc.constantFrom(...SAMPLES, renderOutboundMessage(HUNDRED)),
  outboundMessage.map(renderOutboundMessage),
);

const smallLimits: fc.Arbitrary<XmlReadLimits> = fc.record({
  maxBytes: fc.integer({ min: 500, max: 20_000 }),
  maxDepth: fc.integer({ min: 3, max: 8 }),
  maxAttributes: fc.integer({ min: 1, max: 4 }),
  maxElements: fc.integer({ min: 10, max: 400 }),
});

describe('the single-pass scanner against the tree reader', () => {
  it('reads every real sample and rendered message itself, as the tree reader does', () => {
    for (const xml of [SAMPLES[0], SAMPLES[1], SAMPLES[2], renderOutboundMessage(HUNDRED)]) {
      const input = Buffer.from(xml ?? '', 'utf8');
      expect(scanOutboundMessage(input)).toEqual(parseOutboundMessageByTree(input));
    }
    fc.assert(
      fc.property(outboundMessage, (message) => {
        const xml = renderOutboundMessage(message);
        expect(scanOutboundMessage(xml)).toEqual(message);
        expect(scanOutboundMessage(Buffer.from(xml, 'utf8'))).toEqual(message);
      }),
      { numRuns: 200 },
    );
  });

  it('agrees with it (same message, or same refusal code) on arbitrary mutations of real messages', () => {
    scanned = 0;
    deferred = 0;
    fc.assert(
      fc.property(
        realMessage,
        fc.array(fc.oneof(richMutation, mutation), { minLength: 1, maxLength: 4 }),
        (xml, mutations) => expectAgreement(mutate(xml, mutations)),
      ),
      { numRuns: 800 },
    );
    expect(deferred).toBeGreaterThan(50);
  });

  it('agrees on attributes, text and elements inserted between tags', () => {
    scanned = 0;
    deferred = 0;
    fc.assert(
      fc.property(
        realMessage,
        fc.array(alignedInsertion, { minLength: 1, maxLength: 2 }),
        (xml, insertions) => expectAgreement(insertAligned(xml, insertions)),
      ),
      { numRuns: 500 },
    );
    // Both sides of the property were exercised: some mutants read by the scanner, some not.
    expect(scanned).toBeGreaterThan(10);
    expect(deferred).toBeGreaterThan(50);
  });

  it('agrees on mutated bytes, invalid UTF-8 included', () => {
    fc.assert(
      fc.property(
        realMessage,
        fc.uint8Array({ minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.nat({ max: 8 }),
        (xml, bytes, at, cut) => {
          const original = Buffer.from(xml, 'utf8');
          const position = at % original.length;
          expectAgreement(
            Buffer.concat([
              original.subarray(0, position),
              bytes,
              original.subarray(position + cut),
            ]),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('agrees under tight limits and with a WSDL default object type', () => {
    fc.assert(
      fc.property(
        realMessage,
        fc.array(richMutation, { maxLength: 2 }),
        smallLimits,
        fc.constantFrom(undefined, 'Opportunity', 'Not An Api Name'),
        (xml, mutations, limits, defaultObjectType) =>
          expectAgreement(mutate(xml, mutations), { limits, defaultObjectType }),
      ),
      { numRuns: 500 },
    );
    expectAgreement(SAMPLES[0] ?? '', { limits: { ...DEFAULT_XML_LIMITS, maxElements: 21 } });
  });
});
