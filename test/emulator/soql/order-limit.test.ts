import { describe, expect, it } from 'vitest';
import { runSoql } from '../../../src/emulator/soql/index.ts';
import { apiErrorOf, fieldValue, orderOrg } from './org-fixture.ts';

const org = orderOrg();
const column = (soql: string, name = 'Name'): unknown[] =>
  runSoql(org.store, soql).records.map((r) => fieldValue(r, name));

describe('ORDER BY', () => {
  it('sorts ascending by default, text case-insensitively', () => {
    expect(column('SELECT Name FROM Account ORDER BY Name')).toEqual(['Acme', 'Globex', 'initech']);
    expect(column('SELECT Name FROM Account ORDER BY Name DESC')).toEqual([
      'initech',
      'Globex',
      'Acme',
    ]);
  });

  it('puts nulls first by default in either direction, and where NULLS FIRST|LAST says', () => {
    const amounts = (order: string): unknown[] =>
      column(`SELECT Amount FROM Opportunity ORDER BY Amount ${order}`, 'Amount');
    expect(amounts('')).toEqual([null, 100, 750, 5000]);
    expect(amounts('ASC NULLS LAST')).toEqual([100, 750, 5000, null]);
    expect(amounts('DESC')).toEqual([null, 5000, 750, 100]);
    expect(amounts('desc nulls last')).toEqual([5000, 750, 100, null]);
    expect(amounts('DESC NULLS FIRST')).toEqual([null, 5000, 750, 100]);
  });

  it('sorts by several fields, dates and parent fields', () => {
    expect(
      column('SELECT Name FROM Opportunity ORDER BY Account.Name DESC NULLS LAST, CloseDate'),
    ).toEqual(['Globex deal', 'Small deal', 'Big deal', 'Orphan deal']);
    expect(column('SELECT Name FROM Opportunity ORDER BY CloseDate DESC')).toEqual([
      'Orphan deal',
      'Globex deal',
      'Big deal',
      'Small deal',
    ]);
  });

  it('keeps creation order among equal keys', () => {
    expect(column('SELECT Name FROM Opportunity ORDER BY Pricebook2Id')).toEqual([
      'Big deal',
      'Small deal',
      'Globex deal',
      'Orphan deal',
    ]);
  });
});

describe('LIMIT and OFFSET', () => {
  it('skips OFFSET rows and returns at most LIMIT rows, totalSize counting what is returned', () => {
    const result = runSoql(
      org.store,
      'SELECT Name FROM Opportunity ORDER BY Name LIMIT 2 OFFSET 1',
    );
    expect(result.totalSize).toBe(2);
    expect(result.records.map((r) => fieldValue(r, 'Name'))).toEqual([
      'Globex deal',
      'Orphan deal',
    ]);
    expect(column('SELECT Name FROM Opportunity ORDER BY Name OFFSET 3')).toEqual(['Small deal']);
    expect(column('SELECT Name FROM Opportunity LIMIT 0')).toEqual([]);
  });

  it('applies LIMIT to COUNT()', () => {
    expect(runSoql(org.store, 'SELECT COUNT() FROM Opportunity LIMIT 2').totalSize).toBe(2);
  });

  it('refuses an OFFSET above 2,000 as Salesforce does', () => {
    const error = apiErrorOf(() => runSoql(org.store, 'SELECT Id FROM Account OFFSET 2001'));
    expect([error.code, error.message]).toEqual([
      'NUMBER_OUTSIDE_VALID_RANGE',
      'Maximum SOQL offset allowed is 2000',
    ]);
  });
});
