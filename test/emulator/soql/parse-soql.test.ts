import { describe, expect, it } from 'vitest';
import { canonicalId } from '../../../src/emulator/soql/canonical-id.ts';
import { likeRegExp } from '../../../src/emulator/soql/compile-filter.ts';
import { tokenize } from '../../../src/emulator/soql/lexer.ts';
import { parseSoql } from '../../../src/emulator/soql/parser.ts';

describe('tokenize', () => {
  it('tells dates, datetimes, numbers, strings and operators apart', () => {
    const kinds = tokenize(
      "x = 2026-11-20 2026-11-20T10:00:00Z 2026-11-20T10:00:00+0100 -1.5 'a\\'b' <> <= !=",
    ).map((t) => [t.kind, t.text]);
    expect(kinds).toEqual([
      ['ident', 'x'],
      ['op', '='],
      ['date', '2026-11-20'],
      ['datetime', '2026-11-20T10:00:00Z'],
      ['datetime', '2026-11-20T10:00:00+0100'],
      ['number', '-1.5'],
      ['string', "'a\\'b'"],
      ['op', '<>'],
      ['op', '<='],
      ['op', '!='],
      ['eof', '<EOF>'],
    ]);
  });

  it('decodes escapes, keeping \\% and \\_ escaped only for LIKE', () => {
    const [token] = tokenize("'a\\n\\t\\\\\\%\\_\\u00e9'");
    expect(token).toMatchObject({
      kind: 'string',
      value: 'a\n\t\\%_é',
      likePattern: 'a\n\t\\\\\\%\\_é',
    });
  });
});

describe('parseSoql', () => {
  it('builds the query tree with clauses in order', () => {
    const query = parseSoql(
      "select Id, Account.Name, (SELECT Id FROM OpportunityLineItems LIMIT 2) from Opportunity where Amount > 5 and (Name like 'A%' or not StageName in ('x')) order by Name desc nulls last, Id limit 10 offset 5",
    );
    expect(query.from).toBe('Opportunity');
    expect(query.select.map((s) => s.kind)).toEqual(['field', 'field', 'subquery']);
    expect(query.where?.kind).toBe('and');
    expect(query.orderBy).toEqual([
      { path: { segments: ['Name'], text: 'Name' }, descending: true, nullsLast: true },
      { path: { segments: ['Id'], text: 'Id' }, descending: false, nullsLast: false },
    ]);
    expect([query.limit, query.offset]).toEqual([10, 5]);
  });

  it('reads date literals with and without :n', () => {
    const query = parseSoql(
      'SELECT Id FROM Opportunity WHERE CloseDate = last_n_days:30 OR CloseDate = TODAY',
    );
    expect(query.where).toMatchObject({
      kind: 'or',
      operands: [
        { value: { kind: 'dateRange', name: 'LAST_N_DAYS', n: 30 } },
        { value: { kind: 'dateRange', name: 'TODAY', n: undefined } },
      ],
    });
  });
});

describe('canonicalId', () => {
  it('restores an 18-character id typed in any case and extends a 15-character one', () => {
    const id = '0015g0000000002AAA';
    expect(canonicalId(id.toLowerCase())).toBe(id);
    expect(canonicalId(id.slice(0, 15))).toBe(id);
    expect(canonicalId('0015G0000000002aaa')).toBe(id);
    expect(canonicalId('not-an-id')).toBeUndefined();
  });
});

describe('likeRegExp', () => {
  it('anchors the pattern and escapes regular-expression characters', () => {
    expect(likeRegExp('a.c%').test('abcd')).toBe(false);
    expect(likeRegExp('a.c%').test('A.CD')).toBe(true);
    expect(likeRegExp('50\\%').test('50%')).toBe(true);
    expect(likeRegExp('50\\%').test('500')).toBe(false);
    expect(likeRegExp('line%').test('line\nbreak')).toBe(true);
  });
});
