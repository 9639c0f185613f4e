import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startJsforceOrg, type JsforceOrg } from './jsforce-org.ts';

let org: JsforceOrg;
beforeEach(async () => {
  org = await startJsforceOrg();
});
afterEach(async () => {
  await org.emulator.close();
});

const calls = (): Record<string, number> => org.emulator.counters.snapshot().calls;

describe('sObject Collections through jsforce', () => {
  it('creates many records in one call and answers one SaveResult per record, in order', async () => {
    const results = await org.conn
      .sobject('Account')
      .create([{ Name: 'One' }, { Name: 'Two' }, { Name: 'Three' }]);
    expect(results).toHaveLength(3);
    for (const result of results) {
      expect(result).toEqual({
        id: expect.stringMatching(/^001\w{15}$/),
        success: true,
        errors: [],
      });
    }
    expect(calls()['rest POST composite/sobjects']).toBe(1);
    expect(calls()['rest POST Account']).toBeUndefined();
    const names = results.map((r) => org.emulator.store.get(r.id ?? '')?.values.get('Name'));
    expect(names).toEqual(['One', 'Two', 'Three']);
  });

  it('reports a failing record in Salesforce shape and keeps the others without allOrNone', async () => {
    const results = await org.conn
      .sobject('Account')
      .create([{ Name: 'Good' }, { Industry: 'Technology' }], { allOrNone: false });
    expect(results[0]).toMatchObject({ success: true, errors: [] });
    expect(results[1]).toEqual({
      success: false,
      errors: [
        {
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [Name]',
          fields: ['Name'],
        },
      ],
    });
    expect([...org.emulator.store.scan('Account')].map((a) => a.values.get('Name'))).toEqual([
      'Good',
    ]);
  });

  it('rolls every record back with allOrNone when one fails', async () => {
    const results = await org.conn
      .sobject('Account')
      .create([{ Name: 'Rolled back' }, { Name: 'x'.repeat(300) }], { allOrNone: true });
    expect(results[0]).toEqual({
      success: false,
      errors: [
        {
          statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
          message:
            'Record rolled back because not all records were valid and the request was using AllOrNone header',
          fields: [],
        },
      ],
    });
    expect(results[1]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'STRING_TOO_LONG' }],
    });
    expect([...org.emulator.store.scan('Account')]).toHaveLength(0);
    // Nothing was written, so nothing was heard: no write counted, no outbound automation.
    expect(org.emulator.counters.writesOf(results[0]?.id ?? 'none').creates).toBe(0);
  });

  it('updates many records with one PATCH, allOrNone false, as the relay worker will', async () => {
    const created = await org.conn.sobject('Account').create([{ Name: 'A' }, { Name: 'B' }]);
    const [a = '', b = ''] = created.map((r) => r.id ?? '');
    const results = await org.conn.sobject('Account').update(
      [
        { Id: a, Industry: 'Retail' },
        { Id: b, NumberOfEmployees: 'many' },
        { Id: '001000000000000AAA', Name: 'Nobody' },
        { Id: 'not-an-id', Name: 'Nobody' },
      ],
      { allOrNone: false },
    );
    expect(results[0]).toEqual({ id: a, success: true, errors: [] });
    expect(results[1]).toMatchObject({
      id: b,
      success: false,
      errors: [{ statusCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD', fields: ['NumberOfEmployees'] }],
    });
    expect(results[2]).toEqual({
      id: '001000000000000AAA',
      success: false,
      errors: [
        {
          statusCode: 'INVALID_CROSS_REFERENCE_KEY',
          message: 'invalid cross reference id',
          fields: [],
        },
      ],
    });
    expect(results[3]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'MALFORMED_ID', fields: ['Id'] }],
    });
    expect(results[3]).not.toHaveProperty('id');
    expect(org.emulator.store.get(a ?? '')?.values.get('Industry')).toBe('Retail');
    expect(calls()['rest PATCH composite/sobjects']).toBe(1);
  });

  it('updates through find().update() and deletes through find().destroy()', async () => {
    await org.conn
      .sobject('Account')
      .create([{ Name: 'Acme 1' }, { Name: 'Acme 2' }, { Name: 'Other' }]);
    const updated = await org.conn
      .sobject('Account')
      .find({ Name: { $like: 'Acme%' } })
      .update({ Rating: 'Hot' });
    expect(updated).toHaveLength(2);
    expect(updated.every((r) => r.success)).toBe(true);
    const hot = await org.conn.query<{ Name: string }>(
      "SELECT Name FROM Account WHERE Rating = 'Hot' ORDER BY Name",
    );
    expect(hot.records.map((r) => r.Name)).toEqual(['Acme 1', 'Acme 2']);
    const destroyed = await org.conn.sobject('Account').find({ Rating: 'Hot' }).destroy();
    expect(destroyed).toHaveLength(2);
    expect([...org.emulator.store.scan('Account')].map((a) => a.values.get('Name'))).toEqual([
      'Other',
    ]);
    expect(calls()['rest DELETE composite/sobjects']).toBe(1);
  });

  it('deletes by ids and reports the ones already deleted', async () => {
    const [one, two] = (
      await org.conn.sobject('Account').create([{ Name: 'A' }, { Name: 'B' }])
    ).map((r) => r.id ?? '');
    await org.conn.sobject('Account').destroy(one ?? '');
    const results = await org.conn.sobject('Account').destroy([one ?? '', two ?? '', 'garbage']);
    expect(results[0]).toMatchObject({
      id: one,
      success: false,
      errors: [{ statusCode: 'ENTITY_IS_DELETED' }],
    });
    expect(results[1]).toEqual({ id: two, success: true, errors: [] });
    expect(results[2]).toEqual({
      success: false,
      errors: [{ statusCode: 'MALFORMED_ID', message: 'malformed id garbage', fields: [] }],
    });
  });

  it('reads many records by id, null where none exists', async () => {
    const [a] = (await org.conn.sobject('Account').create([{ Name: 'Read me' }])).map(
      (r) => r.id ?? '',
    );
    const records = await org.conn
      .sobject('Account')
      .retrieve([a ?? '', '001000000000001AAA'], { fields: ['Name', 'OwnerId'] });
    expect(records[0]).toEqual({
      attributes: { type: 'Account', url: `/services/data/v60.0/sobjects/Account/${a}` },
      Name: 'Read me',
      OwnerId: org.emulator.users[0]?.id,
    });
    expect(records[1]).toBeNull();
    const viaGet = (await org.conn.request(
      `/composite/sobjects/Account?ids=${a}&fields=Name`,
    )) as unknown[];
    expect(viaGet).toEqual([expect.objectContaining({ Name: 'Read me' })]);
  });

  it('upserts many records by external id, telling created from updated', async () => {
    const base = { StageName: 'Prospecting', CloseDate: '2026-12-01' };
    await org.conn
      .sobject('Opportunity')
      .create({ Name: 'Existing', Order_Number__c: 'SO-1', ...base });
    const results = await org.conn.sobject('Opportunity').upsert(
      [
        { Order_Number__c: 'SO-1', Name: 'Existing, renamed' },
        { Order_Number__c: 'SO-2', Name: 'New', ...base },
      ],
      'Order_Number__c',
    );
    expect(results[0]).toMatchObject({ success: true, errors: [], created: false });
    expect(results[1]).toMatchObject({ success: true, errors: [], created: true });
    const rows = await org.conn.query<{ Name: string; Order_Number__c: string }>(
      'SELECT Name, Order_Number__c FROM Opportunity ORDER BY Order_Number__c',
    );
    expect(rows.records.map((r) => [r.Order_Number__c, r.Name])).toEqual([
      ['SO-1', 'Existing, renamed'],
      ['SO-2', 'New'],
    ]);
  });

  it('refuses more than 200 records with EXCEEDED_ID_LIMIT', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({
      attributes: { type: 'Account' },
      Name: `A${i}`,
    }));
    const error = (await org.conn
      .requestPost('/composite/sobjects', { allOrNone: false, records })
      .catch((e: unknown) => e)) as { errorCode: string };
    expect(error.errorCode).toBe('EXCEEDED_ID_LIMIT');
  });
});
