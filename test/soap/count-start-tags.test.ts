import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createStartTagCounter } from '../../src/soap/index.ts';

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');

/** The counter's definition, written the slow and obvious way. */
function startTagsIn(text: string): number {
  return [...text.matchAll(/<(?=[^/!?])/gs)].length;
}

describe('createStartTagCounter', () => {
  it('counts start and empty-element tags, not end tags, comments, CDATA or PIs', () => {
    const count = createStartTagCounter();
    expect(
      count(bytes('<?xml version="1.0"?><!-- c --><a><b/><c x="1"></c><![CDATA[x]]></a>')),
    ).toBe(3);
  });

  it('counts a tag whose `<` ends one chunk and whose name starts the next', () => {
    const count = createStartTagCounter();
    expect(count(bytes('<a><'))).toBe(1);
    expect(count(bytes('b/></'))).toBe(2);
    expect(count(bytes('a>'))).toBe(2);
    expect(count(bytes(''))).toBe(2);
  });

  it('takes a plain Uint8Array as well as a Buffer', () => {
    const count = createStartTagCounter();
    expect(count(new Uint8Array(bytes('<a/><b/>')))).toBe(2);
  });

  it('agrees with the definition however the document is cut into chunks', () => {
    const text = fc.string({
      unit: fc.constantFrom('<', '/', '!', '?', 'a', '>', ' '),
      maxLength: 200,
    });
    fc.assert(
      fc.property(text, fc.array(fc.nat(200), { maxLength: 5 }), (document, cuts) => {
        const count = createStartTagCounter();
        const at = [
          0,
          ...[...new Set(cuts)].filter((c) => c < document.length).sort((a, b) => a - b),
          document.length,
        ];
        let total = 0;
        for (let i = 1; i < at.length; i += 1)
          total = count(bytes(document.slice(at[i - 1], at[i])));
        expect(total).toBe(startTagsIn(document));
      }),
    );
  });
});
