import { describe, expect, it } from 'vitest';
import { runSoql } from '../../../src/emulator/soql/index.ts';
import { childResult, fieldValue, orderOrg } from './org-fixture.ts';

const org = orderOrg();
/** Names of the rows a query returns, sorted so tests do not depend on ORDER BY. */
const names = (soql: string): string[] =>
  runSoql(org.store, soql)
    .records.map((r) => String(fieldValue(r, 'Name')))
    .sort();

describe('WHERE comparisons', () => {
  it('compares numbers with = != <> < > <= >=', () => {
    expect(names('SELECT Name FROM Opportunity WHERE Amount = 750')).toEqual(['Globex deal']);
    expect(names('SELECT Name FROM Opportunity WHERE Amount > 100')).toEqual([
      'Big deal',
      'Globex deal',
    ]);
    expect(names('SELECT Name FROM Opportunity WHERE Amount >= 100')).toEqual([
      'Big deal',
      'Globex deal',
      'Small deal',
    ]);
    expect(names('SELECT Name FROM Opportunity WHERE Amount < 750')).toEqual(['Small deal']);
    expect(names('SELECT Name FROM Opportunity WHERE Amount <= 750.0')).toEqual([
      'Globex deal',
      'Small deal',
    ]);
    expect(names('SELECT Name FROM Opportunity WHERE Amount > -1 AND Amount < 100.5')).toEqual([
      'Small deal',
    ]);
  });

  it('keeps rows with a null value for != and <> (SOQL, unlike SQL)', () => {
    expect(names('SELECT Name FROM Opportunity WHERE Amount != 750')).toEqual([
      'Big deal',
      'Orphan deal',
      'Small deal',
    ]);
    expect(names('SELECT Name FROM Opportunity WHERE Amount <> 750')).toEqual([
      'Big deal',
      'Orphan deal',
      'Small deal',
    ]);
  });

  it('matches null with = null and != null', () => {
    expect(names('SELECT Name FROM Opportunity WHERE Amount = null')).toEqual(['Orphan deal']);
    expect(names('SELECT Name FROM Opportunity WHERE AccountId = NULL')).toEqual(['Orphan deal']);
    expect(names('SELECT Name FROM Opportunity WHERE AccountId != null')).toEqual([
      'Big deal',
      'Globex deal',
      'Small deal',
    ]);
    expect(names("SELECT Name FROM Account WHERE Industry = ''")).toEqual(['initech']);
  });

  it('compares strings case-insensitively', () => {
    expect(names("SELECT Name FROM Account WHERE Name = 'ACME'")).toEqual(['Acme']);
    expect(names("SELECT Name FROM Account WHERE Name = 'Initech'")).toEqual(['initech']);
    expect(names("SELECT Name FROM Account WHERE Name > 'b'")).toEqual(['Globex', 'initech']);
  });

  it('decodes SOQL string escapes', () => {
    expect(names("SELECT Name FROM Account WHERE BillingCity = 'O\\'Fallon'")).toEqual(['Globex']);
    const { store } = org;
    const id = store.create('Account', { Name: 'Back\\slash\nline' }, null);
    const found = runSoql(
      store,
      "SELECT Id FROM Account WHERE Name = 'back\\\\slash\\nLINE'",
    ).records.map((r) => r.id);
    store.delete('Account', id, null);
    expect(found).toEqual([id]);
  });

  it('compares booleans', () => {
    expect(names('SELECT Name FROM Opportunity WHERE IsWon = true')).toEqual(['Big deal']);
    expect(names('SELECT Name FROM Opportunity WHERE IsWon = FALSE AND IsClosed != true')).toEqual([
      'Globex deal',
      'Orphan deal',
      'Small deal',
    ]);
  });

  it('compares dates and datetimes, with or without a zone offset', () => {
    expect(names('SELECT Name FROM Opportunity WHERE CloseDate = 2026-11-20')).toEqual([
      'Big deal',
    ]);
    expect(names('SELECT Name FROM Opportunity WHERE CloseDate > 2026-11-20')).toEqual([
      'Globex deal',
      'Orphan deal',
    ]);
    expect(names('SELECT Name FROM Account WHERE CreatedDate = 2026-11-20T10:00:00Z')).toEqual([
      'Acme',
      'Globex',
      'initech',
    ]);
    expect(names('SELECT Name FROM Account WHERE CreatedDate = 2026-11-20T11:00:00+01:00')).toEqual(
      ['Acme', 'Globex', 'initech'],
    );
    expect(
      names('SELECT Name FROM Account WHERE CreatedDate < 2026-11-20T10:00:00.000-00:01'),
    ).toEqual(['Acme', 'Globex', 'initech']);
    expect(names('SELECT Name FROM Account WHERE CreatedDate > 2026-11-20T10:00:00Z')).toEqual([]);
  });

  it('matches IN and NOT IN lists, NOT IN keeping null values', () => {
    expect(names("SELECT Name FROM Account WHERE Name IN ('acme', 'Globex', 'nobody')")).toEqual([
      'Acme',
      'Globex',
    ]);
    expect(names("SELECT Name FROM Account WHERE Industry NOT IN ('Retail')")).toEqual([
      'Acme',
      'initech',
    ]);
    expect(names('SELECT Name FROM Opportunity WHERE Amount IN (100, 750)')).toEqual([
      'Globex deal',
      'Small deal',
    ]);
    expect(names('SELECT Name FROM Opportunity WHERE Amount IN (null, 100)')).toEqual([
      'Orphan deal',
      'Small deal',
    ]);
  });

  it('matches LIKE with % and _ wildcards, case-insensitively, and \\% \\_ as themselves', () => {
    expect(names("SELECT Name FROM Opportunity WHERE Name LIKE '%DEAL'")).toEqual([
      'Big deal',
      'Globex deal',
      'Orphan deal',
      'Small deal',
    ]);
    expect(names("SELECT Name FROM Opportunity WHERE Name LIKE 'b_g%'")).toEqual(['Big deal']);
    expect(names("SELECT Name FROM Product2 WHERE ProductCode LIKE 'G\\_%'")).toEqual(['Gadget']);
    expect(names("SELECT Name FROM Product2 WHERE ProductCode LIKE '_\\_1'")).toEqual(['Gadget']);
    expect(names("SELECT Name FROM Product2 WHERE ProductCode LIKE '_-1'")).toEqual(['Widget']);
    expect(names("SELECT Name FROM Account WHERE Name LIKE 'a.*'")).toEqual([]);
  });

  it('combines AND, OR and NOT with parentheses', () => {
    expect(
      names(
        "SELECT Name FROM Opportunity WHERE (Amount > 1000 OR Amount < 200) AND Name LIKE 'B%'",
      ),
    ).toEqual(['Big deal']);
    expect(names('SELECT Name FROM Opportunity WHERE NOT Amount > 200')).toEqual([
      'Orphan deal',
      'Small deal',
    ]);
    expect(
      names("SELECT Name FROM Opportunity WHERE NOT (Name = 'Big deal' OR Name = 'Small deal')"),
    ).toEqual(['Globex deal', 'Orphan deal']);
    expect(
      names(
        "SELECT Name FROM Opportunity WHERE Amount > 0 AND (NOT Name LIKE 'S%') AND AccountId != null",
      ),
    ).toEqual(['Big deal', 'Globex deal']);
  });

  it('filters on parent fields, an empty reference never matching', () => {
    expect(names("SELECT Name FROM Opportunity WHERE Account.Name = 'acme'")).toEqual([
      'Big deal',
      'Small deal',
    ]);
    expect(names("SELECT Name FROM Opportunity WHERE Account.Owner.Name LIKE 'Ada%'")).toEqual([
      'Big deal',
      'Small deal',
    ]);
    expect(names('SELECT Name FROM Opportunity WHERE Account.Name = null')).toEqual([
      'Orphan deal',
    ]);
    expect(
      names(
        "SELECT Name FROM OpportunityLineItem WHERE PricebookEntry.Product2.ProductCode = 'W-1'",
      ),
    ).toEqual(['Widget', 'Widget']);
  });
});

describe('WHERE on ids', () => {
  it('matches an 18-character id in any case', () => {
    expect(names(`SELECT Name FROM Account WHERE Id = '${org.acme}'`)).toEqual(['Acme']);
    expect(names(`SELECT Name FROM Account WHERE Id = '${org.acme.toLowerCase()}'`)).toEqual([
      'Acme',
    ]);
    expect(names(`SELECT Name FROM Account WHERE Id = '${org.acme.toUpperCase()}'`)).toEqual([
      'Acme',
    ]);
  });

  it('matches a 15-character id by its case-sensitive prefix', () => {
    expect(names(`SELECT Name FROM Account WHERE Id = '${org.acme.slice(0, 15)}'`)).toEqual([
      'Acme',
    ]);
    expect(
      names(
        `SELECT Name FROM Opportunity WHERE AccountId IN ('${org.acme.slice(0, 15)}', '${org.globex}')`,
      ),
    ).toEqual(['Big deal', 'Globex deal', 'Small deal']);
  });

  it('matches nothing for a well-formed id of another record', () => {
    expect(names(`SELECT Name FROM Account WHERE Id = '${org.bigDeal}'`)).toEqual([]);
  });

  it('reads one record by Id with exactly its own live children, following re-parenting and deletes', () => {
    // The read-back the worker sends; looked up by id and reference rather than by scanning.
    const local = orderOrg();
    const { store } = local;
    const lines = (): string[] => {
      const [record] = runSoql(
        store,
        `SELECT Id, (SELECT Quantity FROM OpportunityLineItems) FROM Opportunity WHERE Id = '${local.smallDeal}'`,
      ).records;
      return (childResult(record, 'OpportunityLineItems')?.records ?? [])
        .map((line) => String(fieldValue(line, 'Quantity')))
        .sort();
    };
    expect(lines()).toHaveLength(1);
    const extra = store.create(
      'OpportunityLineItem',
      { OpportunityId: local.smallDeal, PricebookEntryId: local.widgetEntry, Quantity: 7 },
      null,
    );
    expect(lines()).toContain('7');
    store.delete('OpportunityLineItem', extra, null);
    expect(lines()).not.toContain('7');
    expect(lines()).toHaveLength(1);
    const dealsOf = (accountId: string): number =>
      childResult(
        runSoql(
          store,
          `SELECT Id, (SELECT Name FROM Opportunities) FROM Account WHERE Id = '${accountId}'`,
        ).records[0],
        'Opportunities',
      )?.totalSize ?? 0;
    expect([dealsOf(local.acme), dealsOf(local.globex)]).toEqual([2, 1]);
    store.update('Opportunity', local.smallDeal, { AccountId: local.globex }, null);
    expect([dealsOf(local.acme), dealsOf(local.globex)]).toEqual([1, 2]);
  });
});

describe('WHERE Id = / Id IN (looked up, not scanned)', () => {
  const ids = [...org.store.scan('Opportunity')].map((record) => record.id);
  const idsOf = (soql: string): string[] => runSoql(org.store, soql).records.map((r) => r.id);

  it('returns the named records in creation order, each once, whatever the order and form of the ids', () => {
    const [first = '', second = '', third = ''] = ids;
    const list = [third, first.slice(0, 15), second.toLowerCase(), third].map((id) => `'${id}'`);
    expect(idsOf(`SELECT Id FROM Opportunity WHERE Id IN (${list.join(',')})`)).toEqual([
      first,
      second,
      third,
    ]);
    expect(idsOf(`SELECT Id FROM Opportunity WHERE Id = '${second.toLowerCase()}'`)).toEqual([
      second,
    ]);
  });

  it('skips ids of other objects and of records that do not exist, and still applies the rest of the query', () => {
    const account = [...org.store.scan('Account')][0]?.id ?? '';
    const [first = ''] = ids;
    const missing = `006${'0'.repeat(12)}`;
    expect(
      idsOf(`SELECT Id FROM Opportunity WHERE Id IN ('${account}','${missing}','${first}')`),
    ).toEqual([first]);
    expect(idsOf(`SELECT Id FROM Opportunity WHERE Id IN ('${first}') LIMIT 0`)).toEqual([]);
    expect(
      runSoql(org.store, `SELECT COUNT() FROM Opportunity WHERE Id IN ('${first}')`).totalSize,
    ).toBe(1);
  });
});
