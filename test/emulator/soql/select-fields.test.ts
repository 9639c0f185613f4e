import { describe, expect, it } from 'vitest';
import { isQueryRecord, runSoql } from '../../../src/emulator/soql/index.ts';
import { childResult, fieldValue as valueOf, orderOrg } from './org-fixture.ts';

describe('SELECT fields', () => {
  it('returns selected fields in SELECT order with canonical names, whatever the case written', () => {
    const org = orderOrg();
    const result = runSoql(org.store, 'select NAME, billingcity, id from ACCOUNT');
    expect(result.totalSize).toBe(3);
    expect(result.records[0]?.fields.map((f) => f.name)).toEqual(['Name', 'BillingCity', 'Id']);
    expect(result.records[0]?.fields.map((f) => f.value)).toEqual(['Acme', 'Berlin', org.acme]);
  });

  it('sets the record type and id even when Id is not selected', () => {
    const org = orderOrg();
    const [first] = runSoql(org.store, 'SELECT Name FROM Account').records;
    expect(first).toMatchObject({ type: 'Account', id: org.acme });
    expect(first?.fields.map((f) => f.name)).toEqual(['Name']);
  });

  it('returns stored types: numbers, booleans, dates and null for empty fields', () => {
    const org = orderOrg();
    const [deal] = runSoql(
      org.store,
      `SELECT Amount, IsWon, CloseDate, Description, CreatedDate FROM Opportunity WHERE Id = '${org.bigDeal}'`,
    ).records;
    expect(deal?.fields.map((f) => f.value)).toEqual([
      5000,
      true,
      '2026-11-20',
      null,
      '2026-11-20T10:00:00.000Z',
    ]);
  });

  it('accepts whitespace and newlines anywhere', () => {
    const org = orderOrg();
    const result = runSoql(
      org.store,
      "\n  SELECT\tId ,\n Name\r\nFROM   Account\n WHERE Name\n=\n'Acme'\n",
    );
    expect(result.totalSize).toBe(1);
  });

  it('accepts the queried object name as a field prefix', () => {
    const org = orderOrg();
    const [first] = runSoql(
      org.store,
      "SELECT Account.Name FROM Account WHERE Account.Name = 'Acme'",
    ).records;
    expect(first?.fields).toEqual([{ name: 'Name', value: 'Acme' }]);
  });
});

describe('parent relationship fields', () => {
  it('nests a parent field under the relationship name', () => {
    const org = orderOrg();
    const [deal] = runSoql(
      org.store,
      `SELECT Name, Account.Name FROM Opportunity WHERE Id = '${org.bigDeal}'`,
    ).records;
    const account = valueOf(deal, 'Account');
    expect(account !== undefined && isQueryRecord(account)).toBe(true);
    expect(account).toEqual({
      type: 'Account',
      id: org.acme,
      fields: [{ name: 'Name', value: 'Acme' }],
    });
  });

  it('merges several fields of one parent into one nested record at the first one’s position', () => {
    const org = orderOrg();
    const [deal] = runSoql(
      org.store,
      `SELECT account.name, Amount, ACCOUNT.Industry FROM Opportunity WHERE Id = '${org.bigDeal}'`,
    ).records;
    expect(deal?.fields.map((f) => f.name)).toEqual(['Account', 'Amount']);
    expect(valueOf(deal, 'Account')).toEqual({
      type: 'Account',
      id: org.acme,
      fields: [
        { name: 'Name', value: 'Acme' },
        { name: 'Industry', value: 'Technology' },
      ],
    });
  });

  it('follows several levels of references', () => {
    const org = orderOrg();
    const [deal] = runSoql(
      org.store,
      `SELECT Account.Owner.Name, Account.Name FROM Opportunity WHERE Id = '${org.bigDeal}'`,
    ).records;
    expect(valueOf(deal, 'Account')).toEqual({
      type: 'Account',
      id: org.acme,
      fields: [
        {
          name: 'Owner',
          value: {
            type: 'User',
            id: org.ownerId,
            fields: [{ name: 'Name', value: 'Ada Lovelace' }],
          },
        },
        { name: 'Name', value: 'Acme' },
      ],
    });
  });

  it('answers null for the parent when the reference is empty, at any level', () => {
    const org = orderOrg();
    const rows = runSoql(
      org.store,
      'SELECT Name, Account.Name, Account.Owner.Name FROM Opportunity ORDER BY Name',
    ).records;
    const orphan = rows.find((r) => valueOf(r, 'Name') === 'Orphan deal');
    const globex = rows.find((r) => valueOf(r, 'Name') === 'Globex deal');
    expect(valueOf(orphan, 'Account')).toBeNull();
    expect(valueOf(globex, 'Account')).toEqual({
      type: 'Account',
      id: org.globex,
      fields: [
        { name: 'Name', value: 'Globex' },
        { name: 'Owner', value: null },
      ],
    });
  });
});

describe('child subqueries', () => {
  it('returns each parent’s children as a nested result, filtered, ordered and limited', () => {
    const org = orderOrg();
    const [deal] = runSoql(
      org.store,
      `SELECT Name, (SELECT Id, Quantity, PricebookEntry.Product2.Name FROM OpportunityLineItems WHERE Quantity > 0 ORDER BY Quantity DESC LIMIT 5) FROM Opportunity WHERE Id = '${org.bigDeal}'`,
    ).records;
    const result = childResult(deal, 'OpportunityLineItems');
    expect(result?.totalSize).toBe(2);
    if (!result) throw new Error('expected line items');
    expect(result.records.map((r) => valueOf(r, 'Quantity'))).toEqual([3, 1]);
    expect(result.records[0]?.type).toBe('OpportunityLineItem');
    expect(valueOf(result.records[0], 'PricebookEntry')).toMatchObject({
      type: 'PricebookEntry',
      fields: [
        {
          name: 'Product2',
          value: { type: 'Product2', id: org.widget, fields: [{ name: 'Name', value: 'Widget' }] },
        },
      ],
    });
  });

  it('applies the subquery LIMIT per parent', () => {
    const org = orderOrg();
    const [deal] = runSoql(
      org.store,
      `SELECT (SELECT Quantity FROM OpportunityLineItems ORDER BY Quantity LIMIT 1) FROM Opportunity WHERE Id = '${org.bigDeal}'`,
    ).records;
    expect(valueOf(deal, 'OpportunityLineItems')).toMatchObject({
      totalSize: 1,
      records: [{ fields: [{ name: 'Quantity', value: 1 }] }],
    });
  });

  it('answers null for a parent with no matching children, as REST renders it', () => {
    const org = orderOrg();
    const rows = runSoql(
      org.store,
      'SELECT Name, (SELECT Id FROM opportunitylineitems WHERE Quantity > 5) FROM Opportunity ORDER BY Name',
    ).records;
    expect(
      rows.map((r) => [
        valueOf(r, 'Name'),
        childResult(r, 'OpportunityLineItems')?.totalSize ?? null,
      ]),
    ).toEqual([
      ['Big deal', null],
      ['Globex deal', null],
      ['Orphan deal', null],
      ['Small deal', 1],
    ]);
  });

  it('names the child field by the canonical relationship name and keeps SELECT order', () => {
    const org = orderOrg();
    const [account] = runSoql(
      org.store,
      "SELECT (SELECT Name FROM opportunities ORDER BY Name), Name FROM Account WHERE Name = 'Acme'",
    ).records;
    expect(account?.fields.map((f) => f.name)).toEqual(['Opportunities', 'Name']);
    expect(childResult(account, 'Opportunities')?.records.map((r) => valueOf(r, 'Name'))).toEqual([
      'Big deal',
      'Small deal',
    ]);
  });
});

describe('COUNT()', () => {
  it('answers the number of matching rows and no records', () => {
    const org = orderOrg();
    expect(runSoql(org.store, 'SELECT COUNT() FROM Opportunity WHERE Amount > 500')).toEqual({
      totalSize: 2,
      records: [],
    });
    expect(runSoql(org.store, 'select count() from Account')).toEqual({
      totalSize: 3,
      records: [],
    });
  });
});

describe('deleted rows', () => {
  it('hides soft-deleted rows unless includeDeleted (queryAll) is asked for', () => {
    const org = orderOrg();
    org.store.delete('Account', org.initech, null);
    expect(runSoql(org.store, 'SELECT Id FROM Account').totalSize).toBe(2);
    const all = runSoql(org.store, 'SELECT Id, IsDeleted FROM Account ORDER BY Name', {
      includeDeleted: true,
    });
    expect(all.records.map((r) => [r.id, valueOf(r, 'IsDeleted')])).toEqual([
      [org.acme, false],
      [org.globex, false],
      [org.initech, true],
    ]);
  });

  it('hides soft-deleted children in subqueries', () => {
    const org = orderOrg();
    const [line] = runSoql(
      org.store,
      `SELECT Id FROM OpportunityLineItem WHERE OpportunityId = '${org.smallDeal}'`,
    ).records;
    if (!line) throw new Error('expected a line item');
    org.store.delete('OpportunityLineItem', line.id, null);
    const [deal] = runSoql(
      org.store,
      `SELECT (SELECT Id FROM OpportunityLineItems) FROM Opportunity WHERE Id = '${org.smallDeal}'`,
    ).records;
    expect(valueOf(deal, 'OpportunityLineItems')).toBeNull();
  });
});
