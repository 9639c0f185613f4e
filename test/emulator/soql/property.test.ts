import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runSoql } from '../../../src/emulator/soql/index.ts';
import { newStore } from './org-fixture.ts';

type Op = '=' | '!=' | '<' | '<=' | '>' | '>=';
type Filter =
  | { readonly kind: 'cmp'; readonly op: Op; readonly value: number }
  | { readonly kind: 'null'; readonly negated: boolean }
  | { readonly kind: 'in'; readonly negated: boolean; readonly values: readonly number[] }
  | { readonly kind: 'and' | 'or'; readonly left: Filter; readonly right: Filter }
  | { readonly kind: 'not'; readonly operand: Filter };

const amount = fc.integer({ min: -5, max: 5 });
const filter: fc.Arbitrary<Filter> = fc.letrec<{ filter: Filter }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      kind: fc.constant('cmp' as const),
      op: fc.constantFrom<Op>('=', '!=', '<', '<=', '>', '>='),
      value: amount,
    }),
    fc.record({ kind: fc.constant('null' as const), negated: fc.boolean() }),
    fc.record({
      kind: fc.constant('in' as const),
      negated: fc.boolean(),
      values: fc.array(amount, { minLength: 1, maxLength: 3 }),
    }),
    fc.record({
      kind: fc.constantFrom('and' as const, 'or' as const),
      left: tie('filter'),
      right: tie('filter'),
    }),
    fc.record({ kind: fc.constant('not' as const), operand: tie('filter') }),
  ),
})).filter;

function toSoql(f: Filter): string {
  switch (f.kind) {
    case 'cmp':
      return `Amount ${f.op} ${f.value}`;
    case 'null':
      return `Amount ${f.negated ? '!=' : '='} null`;
    case 'in':
      return `Amount ${f.negated ? 'NOT IN' : 'IN'} (${f.values.join(', ')})`;
    case 'and':
    case 'or':
      return `(${toSoql(f.left)} ${f.kind.toUpperCase()} ${toSoql(f.right)})`;
    case 'not':
      return `(NOT ${toSoql(f.operand)})`;
  }
}

/** SOQL's semantics written plainly: a null only matches `= null`, `!=` and `NOT IN`. */
function reference(f: Filter, v: number | null): boolean {
  switch (f.kind) {
    case 'cmp':
      if (f.op === '!=') return v === null || v !== f.value;
      if (v === null) return false;
      return {
        '=': v === f.value,
        '<': v < f.value,
        '<=': v <= f.value,
        '>': v > f.value,
        '>=': v >= f.value,
      }[f.op];
    case 'null':
      return f.negated ? v !== null : v === null;
    case 'in': {
      const inside = v !== null && f.values.includes(v);
      return f.negated ? !inside : inside;
    }
    case 'and':
      return reference(f.left, v) && reference(f.right, v);
    case 'or':
      return reference(f.left, v) || reference(f.right, v);
    case 'not':
      return !reference(f.operand, v);
  }
}

describe('WHERE over numbers (property)', () => {
  const { store } = newStore();
  const amounts = [null, -5, -3, -1, 0, 0, 1, 2, 4, 5];
  const rows = amounts.map((value, i) => ({
    id: store.create(
      'Opportunity',
      { Name: `Deal ${i}`, StageName: 'Prospecting', CloseDate: '2026-12-01', Amount: value },
      null,
    ),
    value,
  }));

  it('returns exactly the rows a reference filter keeps, in creation order', () => {
    fc.assert(
      fc.property(filter, (f) => {
        const got = runSoql(store, `SELECT Id FROM Opportunity WHERE ${toSoql(f)}`).records.map(
          (r) => r.id,
        );
        const expected = rows.filter((row) => reference(f, row.value)).map((row) => row.id);
        expect(got).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('ORDER BY Amount sorts like a reference comparator, nulls placed as asked', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), (descending, nullsLast) => {
        const soql = `SELECT Amount FROM Opportunity ORDER BY Amount ${descending ? 'DESC' : 'ASC'} NULLS ${nullsLast ? 'LAST' : 'FIRST'}`;
        const got = runSoql(store, soql).records.map((r) => r.fields[0]?.value);
        const present = amounts
          .filter((v): v is number => v !== null)
          .sort((a, b) => (descending ? b - a : a - b));
        expect(got).toEqual(nullsLast ? [...present, null] : [null, ...present]);
      }),
    );
  });
});
