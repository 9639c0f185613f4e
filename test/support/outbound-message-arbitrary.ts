import fc from 'fast-check';
import type { FieldValue, OutboundMessage } from '../../src/soap/index.ts';

/** Arbitrary valid outbound messages and mutations of their text, for the parser properties. */

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split('');
const LETTERS = ALNUM.filter((c) => /[A-Za-z]/.test(c));
const XML_CHAR = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

const salesforceId = fc.oneof(
  fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 15, maxLength: 15 }),
  fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 18, maxLength: 18 }),
);
const apiName = fc
  .tuple(
    fc.constantFrom(...LETTERS),
    fc.string({ unit: fc.constantFrom(...ALNUM, '_'), maxLength: 30 }),
  )
  .map(([first, rest]) => first + rest)
  .filter((name) => name !== 'Id');
/** Any text XML 1.0 can carry, including CR, tabs, markup characters and astral code points. */
const xmlText = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom('<', '>', '&', '"', "'", '\r', '\n', '\t', ' ', ']]>'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    ),
    maxLength: 40,
  })
  .filter((text) => XML_CHAR.test(text));
const fieldValue: fc.Arbitrary<FieldValue> = fc.option(xmlText, { nil: null });
/** Scheme and host of an instance; the path is fixed by the org (SALESFORCE.md §1). */
const url = fc
  .tuple(fc.constantFrom('http', 'https'), fc.domain())
  .map(([scheme, host]) => `${scheme}://${host}`);

export const outboundMessage: fc.Arbitrary<OutboundMessage> = fc
  .tuple(salesforceId, url, fc.integer({ min: 50, max: 65 }))
  .chain(([organizationId, base, version]) =>
    fc.record({
      organizationId: fc.constant(organizationId),
      actionId: salesforceId,
      sessionId: fc.option(
        xmlText.filter((s) => s !== ''),
        { nil: null },
      ),
      enterpriseUrl: fc.constant(
        `${base}/services/Soap/c/${version}.0/${organizationId.slice(0, 15)}`,
      ),
      partnerUrl: fc.constant(
        `${base}/services/Soap/u/${version}.0/${organizationId.slice(0, 15)}`,
      ),
      notifications: fc.uniqueArray(
        fc.record({
          id: salesforceId,
          sObject: fc.option(
            fc.record({
              type: apiName,
              id: fc.option(salesforceId, { nil: null }),
              fields: fc.dictionary(apiName, fieldValue, { maxKeys: 8 }),
            }),
            { nil: null },
          ),
        }),
        { minLength: 1, maxLength: 100, selector: (notification) => notification.id.slice(0, 15) },
      ),
    }),
  );

export type Mutation = {
  kind: 'delete' | 'insert' | 'duplicate' | 'replace';
  at: number;
  length: number;
  text: string;
};
export const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'duplicate', 'replace'),
  at: fc.nat(),
  length: fc.nat({ max: 64 }),
  text: fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.constantFrom(
      '<',
      '>',
      '&',
      '&lol;',
      '<!DOCTYPE x>',
      ']]>',
      '<![CDATA[',
      '</',
      '"',
      'xsi:nil="true"',
      '\u0000',
      '\uFFFF',
    ),
  ),
});

export function mutate(xml: string, mutations: readonly Mutation[]): string {
  let out = xml;
  for (const m of mutations) {
    const at = m.at % (out.length + 1);
    if (m.kind === 'delete') out = out.slice(0, at) + out.slice(at + m.length);
    else if (m.kind === 'insert') out = out.slice(0, at) + m.text + out.slice(at);
    else if (m.kind === 'duplicate')
      out = out.slice(0, at + m.length) + out.slice(at, at + m.length) + out.slice(at + m.length);
    else out = out.slice(0, at) + m.text + out.slice(at + m.text.length);
  }
  return out;
}
