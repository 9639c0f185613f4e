import { Connection } from 'jsforce';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/start-emulator.ts';
import { seedCatalogue, startTestEmulator } from '../support/emulator.ts';

let emulator: RunningEmulator;
let conn: Connection;

beforeEach(async () => {
  emulator = await startTestEmulator({ outboundMessages: [] });
  conn = new Connection({
    instanceUrl: emulator.url,
    accessToken: emulator.accessToken,
    version: '60.0',
  });
});
afterEach(async () => {
  await emulator.close();
});

interface SalesforceError {
  errorCode?: string;
  name?: string;
  message: string;
}

async function failure(promise: PromiseLike<unknown>): Promise<SalesforceError> {
  try {
    await promise;
  } catch (error) {
    return error as SalesforceError;
  }
  throw new Error('expected the call to fail');
}

describe('REST API through jsforce', () => {
  it('creates an Account and an Opportunity with line items, and reads them back with a child subquery', async () => {
    const { pricebookId, entryId } = seedCatalogue(emulator);
    const account = await conn.sobject('Account').create({ Name: 'Acme Telecom' });
    expect(account.success).toBe(true);
    expect(account.id).toMatch(/^001[a-zA-Z0-9]{15}$/);
    const opportunity = await conn.sobject('Opportunity').create({
      Name: 'Acme Fibre',
      AccountId: account.id,
      StageName: 'Prospecting',
      CloseDate: '2026-12-01',
      Pricebook2Id: pricebookId,
    });
    expect(opportunity.id).toMatch(/^006/);
    const line = await conn
      .sobject('OpportunityLineItem')
      .create({ OpportunityId: opportunity.id, PricebookEntryId: entryId, Quantity: 3 });
    expect(line.id).toMatch(/^00k/);

    const result = await conn.query<Record<string, unknown>>(
      `SELECT Id, Name, Account.Name, (SELECT Quantity, UnitPrice, TotalPrice, Product2.ProductCode FROM OpportunityLineItems) FROM Opportunity WHERE Id = '${opportunity.id}'`,
    );
    expect(result.totalSize).toBe(1);
    expect(result.done).toBe(true);
    const [record] = result.records;
    expect(record).toMatchObject({
      attributes: {
        type: 'Opportunity',
        url: `/services/data/v60.0/sobjects/Opportunity/${opportunity.id}`,
      },
      Id: opportunity.id,
      Name: 'Acme Fibre',
      Account: { attributes: { type: 'Account' }, Name: 'Acme Telecom' },
      OpportunityLineItems: {
        totalSize: 1,
        done: true,
        records: [
          { Quantity: 3, UnitPrice: 49.5, TotalPrice: 148.5, Product2: { ProductCode: 'FIB-1G' } },
        ],
      },
    });
  });

  it('retrieves, updates and deletes a record, keeping the system fields', async () => {
    const created = await conn.sobject('Account').create({ Name: 'Before' });
    const before = await conn.sobject('Account').retrieve(created.id ?? '');
    expect(before).toMatchObject({ Id: created.id, Name: 'Before', IsDeleted: false });
    expect(String(before.CreatedDate)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    await emulator.clock.advance(60_000);
    const updated = await conn.sobject('Account').update({ Id: created.id ?? '', Name: 'After' });
    expect(updated.success).toBe(true);
    const after = await conn.sobject('Account').retrieve(created.id ?? '');
    expect(after.Name).toBe('After');
    expect(after.CreatedDate).toBe(before.CreatedDate);
    expect(after.LastModifiedDate).not.toBe(before.LastModifiedDate);
    // A 15-character id works on input too.
    const by15 = await conn.sobject('Account').retrieve((created.id ?? '').slice(0, 15));
    expect(by15.Id).toBe(created.id);

    await conn.sobject('Account').destroy(created.id ?? '');
    const gone = await failure(conn.sobject('Account').retrieve(created.id ?? ''));
    expect(gone.errorCode ?? gone.name).toBe('ENTITY_IS_DELETED');
    const all = await conn.query<{ Id: string; IsDeleted: boolean }>(
      `SELECT Id, IsDeleted FROM Account WHERE Id = '${created.id}'`,
      { scanAll: true },
    );
    expect(all.records).toMatchObject([{ Id: created.id, IsDeleted: true }]);
    const live = await conn.query(`SELECT Id FROM Account WHERE Id = '${created.id}'`);
    expect(live.totalSize).toBe(0);
  });

  it('pages through 2,500 records with nextRecordsUrl and autoFetch', async () => {
    for (let i = 0; i < 2500; i++)
      emulator.store.create('Account', { Name: `Account ${String(i).padStart(4, '0')}` }, null);
    const first = await conn.query('SELECT Id, Name FROM Account ORDER BY Name');
    expect(first.totalSize).toBe(2500);
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(2000);
    expect(first.nextRecordsUrl).toMatch(
      /\/services\/data\/v60\.0\/query\/01g[a-zA-Z0-9]{15}-2000$/,
    );
    const second = await conn.queryMore(first.nextRecordsUrl ?? '');
    expect(second.done).toBe(true);
    expect(second.records).toHaveLength(500);

    const names: string[] = [];
    await new Promise<void>((resolve, reject) => {
      conn
        .query<{ Name: string }>('SELECT Name FROM Account ORDER BY Name')
        .on('record', (record: { Name: string }) => names.push(record.Name))
        .on('end', () => resolve())
        .on('error', reject)
        .run({ autoFetch: true, maxFetch: 10_000 });
    });
    expect(names).toHaveLength(2500);
    expect(names[0]).toBe('Account 0000');
    expect(names[2499]).toBe('Account 2499');
  });

  it('answers errors in Salesforce shapes and statuses', async () => {
    const cases: [() => PromiseLike<unknown>, string][] = [
      [() => conn.query('SELECT Id FROM Nope'), 'INVALID_TYPE'],
      [() => conn.query('SELECT Nope FROM Account'), 'INVALID_FIELD'],
      [() => conn.query('SELECT Id FORM Account'), 'MALFORMED_QUERY'],
      [() => conn.sobject('Account').create({ NoSuchField__c: 'x', Name: 'x' }), 'INVALID_FIELD'],
      [() => conn.sobject('Account').create({ Phone: '1' }), 'REQUIRED_FIELD_MISSING'],
      [
        () => conn.sobject('Contact').create({ LastName: 'x', AccountId: 'not-an-id' }),
        'MALFORMED_ID',
      ],
      [() => conn.sobject('Account').update({ Id: '001000000000000AAA', Name: 'x' }), 'NOT_FOUND'],
      // GET with something that is not an id is an external-id lookup in Salesforce: NOT_FOUND.
      [() => conn.sobject('Account').retrieve('001notAnId'), 'NOT_FOUND'],
      [() => conn.sobject('Account').retrieve('001000000000000AAA'), 'NOT_FOUND'],
    ];
    for (const [call, code] of cases) {
      const error = await failure(call());
      expect(error.errorCode ?? error.name, error.message).toBe(code);
    }
    const raw = await fetch(
      `${emulator.url}/services/data/v60.0/sobjects/Account/001000000000000AAA`,
      {
        headers: { authorization: `Bearer ${emulator.accessToken}` },
      },
    );
    expect(raw.status).toBe(404);
    expect(await raw.json()).toEqual([
      { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
    ]);
  });

  it('answers INVALID_SESSION_ID with 401 once sessions expire, and to no token at all', async () => {
    await conn.query('SELECT Id FROM Account');
    await emulator.clock.advance((emulator.config.sessionTtlSeconds + 1) * 1000);
    const error = await failure(conn.query('SELECT Id FROM Account'));
    expect(error.errorCode ?? error.name).toBe('INVALID_SESSION_ID');
    const anonymous = await fetch(`${emulator.url}/services/data/v60.0/sobjects`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
  });

  it('lists API versions from 50.0 and describes objects well enough for jsforce', async () => {
    const versions = (await (await fetch(`${emulator.url}/services/data`)).json()) as {
      version: string;
    }[];
    expect(versions[0]?.version).toBe('50.0');
    const describe = await conn.sobject('Opportunity').describe();
    const names = describe.fields.map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'Id',
        'StageName',
        'Order_Number__c',
        'Order_Status__c',
        'SystemModstamp',
      ]),
    );
    expect(describe.fields.find((f) => f.name === 'Order_Number__c')).toMatchObject({
      custom: true,
      externalId: true,
      unique: true,
    });
    expect(describe.childRelationships.map((c) => c.relationshipName)).toContain(
      'OpportunityLineItems',
    );
    const global = await conn.describeGlobal();
    expect(global.sobjects.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'Account',
        'Contact',
        'Product2',
        'Pricebook2',
        'PricebookEntry',
        'Opportunity',
        'OpportunityLineItem',
      ]),
    );
    const old = await fetch(`${emulator.url}/services/data/v49.0/sobjects`, {
      headers: { authorization: `Bearer ${emulator.accessToken}` },
    });
    expect(old.status).toBe(404);
  });
});

describe('API fault injection through jsforce', () => {
  it.each([
    ['unavailable', 'SERVER_UNAVAILABLE', 503],
    ['invalid_session', 'INVALID_SESSION_ID', 401],
    ['unable_to_lock_row', 'UNABLE_TO_LOCK_ROW', 400],
  ] as const)('makes the next calls fail with %s', async (kind, code, status) => {
    const id = await conn.sobject('Account').create({ Name: 'Target' });
    emulator.faults.inject(kind, 2);
    for (let i = 0; i < 2; i++) {
      const response = await fetch(
        `${emulator.url}/services/data/v60.0/sobjects/Account/${id.id}`,
        {
          method: 'PATCH',
          headers: {
            authorization: `Bearer ${emulator.accessToken}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ Name: 'Changed' }),
        },
      );
      expect(response.status).toBe(status);
      expect(((await response.json()) as { errorCode: string }[])[0]?.errorCode).toBe(code);
    }
    await conn.sobject('Account').update({ Id: id.id ?? '', Name: 'Changed' });
    expect(emulator.counters.writesOf(id.id ?? '').updates).toBe(1);
  });

  it('adds latency to the next call without failing it', async () => {
    emulator.faults.inject('latency', 1, 300);
    const started = performance.now();
    await conn.query('SELECT Id FROM Account');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('expires every session on demand', async () => {
    const response = await fetch(`${emulator.url}/emulator/faults/expire-sessions`, {
      method: 'POST',
    });
    expect(response.status).toBe(200);
    const error = await failure(conn.query('SELECT Id FROM Account'));
    expect(error.errorCode ?? error.name).toBe('INVALID_SESSION_ID');
  });

  it('counts every API call by operation', async () => {
    await conn.query('SELECT Id FROM Account');
    await conn.sobject('Account').create({ Name: 'Counted' });
    const counters = (await (await fetch(`${emulator.url}/emulator/counters`)).json()) as {
      calls: Record<string, number>;
    };
    expect(counters.calls['rest POST Account']).toBe(1);
    expect(counters.calls['rest GET query']).toBe(1);
  });
});
