import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failure, startJsforceOrg, type JsforceOrg } from './jsforce-org.ts';

let org: JsforceOrg;
beforeEach(async () => {
  org = await startJsforceOrg();
});
afterEach(async () => {
  await org.emulator.close();
});

const opportunity = { StageName: 'Prospecting', CloseDate: '2026-12-01' };

describe('what programs do on their first day, through jsforce', () => {
  it('makes the running user the owner of what it creates, so Owner.Name can be read', async () => {
    const account = await org.conn.sobject('Account').create({ Name: 'Owned' });
    const result = await org.conn.query<{ OwnerId: string; Owner: { Name: string } }>(
      `SELECT OwnerId, Owner.Name FROM Account WHERE Id = '${account.id}'`,
    );
    expect(result.records[0]?.OwnerId).toBe(org.emulator.users[0]?.id);
    expect(result.records[0]?.Owner.Name).toBe('Integration User');
    const owner = (await org.conn.sobject('Account').describe()).fields.find(
      (f) => f.name === 'OwnerId',
    );
    expect(owner).toMatchObject({ nillable: false, defaultedOnCreate: true, updateable: true });
  });

  it('answers conn.identity() through the identity URL of the resources document', async () => {
    const identity = await org.conn.identity();
    expect(identity).toMatchObject({
      user_id: org.emulator.users[0]?.id,
      organization_id: org.emulator.organizationId,
      username: 'integration@sf-relay.example',
    });
    const resources = (await org.conn.request('/services/data/v60.0')) as Record<string, string>;
    expect(resources.identity).toBe(
      `${org.emulator.url}/id/${org.emulator.organizationId}/${org.emulator.users[0]?.id}`,
    );
    // Every resource it advertises answers.
    for (const [name, url] of Object.entries(resources)) {
      if (name === 'identity' || name === 'composite') continue;
      await expect(
        org.conn.request(
          name === 'query' || name === 'queryAll' ? `${url}?q=SELECT+Id+FROM+Account` : url,
        ),
      ).resolves.toBeDefined();
    }
  });

  it('reports API usage after each call in conn.limitInfo and in /limits', async () => {
    await org.conn.query('SELECT Id FROM Account');
    const first = org.conn.limitInfo.apiUsage;
    expect(first?.limit).toBe(100000);
    await org.conn.query('SELECT Id FROM Account');
    expect(org.conn.limitInfo.apiUsage?.used).toBe((first?.used ?? 0) + 1);
    const limits = (await org.conn.limits()) as unknown as Record<
      string,
      { Max: number; Remaining: number }
    >;
    expect(limits.DailyApiRequests).toEqual({
      Max: 100000,
      Remaining: 100000 - org.emulator.usage.used,
    });
  });

  it('enforces the daily allowance with REQUEST_LIMIT_EXCEEDED until the day rolls over', async () => {
    await org.emulator.close();
    // Sessions outlive the day here, so only the allowance decides.
    org = await startJsforceOrg({ limits: { dailyApiRequests: 3 }, sessionTtlSeconds: 3 * 86_400 });
    await org.conn.query('SELECT Id FROM Account');
    await org.conn.query('SELECT Id FROM Account');
    await org.conn.query('SELECT Id FROM Account');
    const error = await failure(org.conn.query('SELECT Id FROM Account'));
    expect(error.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    expect(error.message).toBe('TotalRequests Limit exceeded.');
    const raw = await fetch(`${org.emulator.url}/services/data/v60.0/limits`, {
      headers: { authorization: `Bearer ${org.emulator.accessToken}` },
    });
    expect(raw.status).toBe(403);
    expect(raw.headers.get('sforce-limit-info')).toBe('api-usage=3/3');
    org.emulator.clock.advance(24 * 3_600_000 + 60_000);
    await expect(org.conn.query('SELECT Id FROM Account')).resolves.toMatchObject({ totalSize: 0 });
  });

  it('upserts by external id: 201 created, 200 updated, 300 on several matches, 404 for a field that is not one', async () => {
    const path = '/services/data/v60.0/sobjects/Opportunity/Order_Number__c/SO-1';
    const created = await org.conn.requestPatch<{ id: string; created: boolean }>(path, {
      Name: 'Upserted',
      ...opportunity,
    });
    expect(created).toEqual({
      id: expect.stringMatching(/^006/),
      success: true,
      errors: [],
      created: true,
    });
    const single = await org.conn
      .sobject('Opportunity')
      .upsert({ Order_Number__c: 'SO-1', Name: 'Upserted again' }, 'Order_Number__c');
    expect(single).toMatchObject({ id: created.id, success: true, created: false });
    const byExternalId = await org.conn.request<{ Name: string; Id: string }>(path);
    expect(byExternalId).toMatchObject({ Id: created.id, Name: 'Upserted again' });
    const wrongField = await failure(
      org.conn.requestPatch('/services/data/v60.0/sobjects/Opportunity/Name/Upserted', {
        Amount: 1,
      }),
    );
    expect(wrongField.errorCode).toBe('NOT_FOUND');
    expect(wrongField.message).toBe(
      'Provided external ID field does not exist or is not accessible: Name',
    );
    const missing = await failure(
      org.conn.requestPatch(`${path.replace('SO-1', 'SO-9')}?updateOnly=true`, { Name: 'x' }),
    );
    expect(missing.errorCode).toBe('NOT_FOUND');
  });

  it('answers 300 Multiple Choices with the matching URLs when an external id is not unique', async () => {
    // Account.AccountNumber is no external id in the schema, so make a field that is: the
    // duplicate can only come from data that predates the uniqueness (restore skips checks).
    const store = org.emulator.store;
    const a = store.create('Opportunity', { Name: 'A', ...opportunity }, null);
    const b = store.create('Opportunity', { Name: 'B', ...opportunity }, null);
    store.restore([
      {
        type: 'Opportunity',
        id: a,
        values: { ...Object.fromEntries(store.get(a)?.values ?? []), Order_Number__c: 'DUP' },
      },
      {
        type: 'Opportunity',
        id: b,
        values: { ...Object.fromEntries(store.get(b)?.values ?? []), Order_Number__c: 'DUP' },
      },
    ]);
    const response = await fetch(
      `${org.emulator.url}/services/data/v60.0/sobjects/Opportunity/Order_Number__c/DUP`,
      { headers: { authorization: `Bearer ${org.emulator.accessToken}` } },
    );
    expect(response.status).toBe(300);
    expect(await response.json()).toEqual([
      `/services/data/v60.0/sobjects/Opportunity/${a}`,
      `/services/data/v60.0/sobjects/Opportunity/${b}`,
    ]);
    const error = await failure(
      org.conn
        .sobject('Opportunity')
        .upsert({ Order_Number__c: 'DUP', Name: 'C' }, 'Order_Number__c'),
    );
    expect(error.errorCode ?? error.name).toBe('MULTIPLE_CHOICES');
  });

  it('lists updated and deleted records for replication', async () => {
    const start = org.emulator.clock.now();
    const kept = await org.conn.sobject('Account').create({ Name: 'Kept' });
    const gone = await org.conn.sobject('Account').create({ Name: 'Gone' });
    await org.conn.sobject('Account').destroy(gone.id ?? '');
    org.emulator.clock.advance(120_000);
    const end = org.emulator.clock.now();
    const updated = await org.conn
      .sobject('Account')
      .updated(start.toISOString(), end.toISOString());
    expect(updated.ids).toEqual([kept.id]);
    expect(updated.latestDateCovered).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000\+0000$/);
    const deleted = await org.conn
      .sobject('Account')
      .deleted(start.toISOString(), end.toISOString());
    expect(deleted.deletedRecords).toEqual([
      { id: gone.id, deletedDate: expect.stringMatching(/\+0000$/) },
    ]);
    expect(deleted).toHaveProperty('earliestDateAvailable');
    const tooOld = await failure(
      org.conn
        .sobject('Account')
        .updated(new Date(end.getTime() - 31 * 86_400_000).toISOString(), end.toISOString()),
    );
    expect(tooOld.errorCode).toBe('INVALID_REPLICATION_DATE');
  });

  it('accepts FOR VIEW and FOR REFERENCE and lists those records as recent', async () => {
    const account = await org.conn.sobject('Account').create({ Name: 'Seen' });
    await org.conn.query(`SELECT Id, Name FROM Account WHERE Id = '${account.id}' FOR VIEW`);
    await org.conn.query('SELECT Id FROM Account FOR REFERENCE');
    const recent = (await org.conn.recent()) as unknown as { Id: string; Name: string }[];
    expect(recent).toEqual([
      {
        attributes: { type: 'Account', url: `/services/data/v60.0/sobjects/Account/${account.id}` },
        Id: account.id,
        Name: 'Seen',
      },
    ]);
    expect(await org.conn.sobject('Account').recent()).toHaveLength(1);
    const forUpdate = await failure(org.conn.query('SELECT Id FROM Account FOR UPDATE'));
    expect(forUpdate.errorCode).toBe('MALFORMED_QUERY');
  });

  it('knows the standard fields sample programs query, and Lead and Case', async () => {
    const account = await org.conn.sobject('Account').create({
      Name: 'Sample',
      BillingStreet: '1 Market St',
      BillingCity: 'San Francisco',
      BillingState: 'CA',
      BillingPostalCode: '94105',
      BillingCountry: 'USA',
      ShippingCity: 'Oakland',
      NumberOfEmployees: 120,
      Industry: 'Technology',
      AnnualRevenue: 5_000_000,
      Type: 'Customer - Direct',
      Phone: '+1 415 555 0100',
      Website: 'https://example.com',
    });
    const [row] = (
      await org.conn.query<Record<string, unknown>>(
        `SELECT BillingCity, BillingState, ShippingCity, NumberOfEmployees, Industry, AnnualRevenue, Type, Phone, Website, LastActivityDate FROM Account WHERE Id = '${account.id}'`,
      )
    ).records;
    expect(row).toMatchObject({
      BillingCity: 'San Francisco',
      BillingState: 'CA',
      ShippingCity: 'Oakland',
      NumberOfEmployees: 120,
      AnnualRevenue: 5_000_000,
      LastActivityDate: null,
    });
    const deal = await org.conn.sobject('Opportunity').create({
      Name: 'Sample deal',
      StageName: 'Negotiation/Review',
      CloseDate: '2026-12-01',
      LeadSource: 'Web',
      NextStep: 'Sign',
    });
    const read = async () =>
      (
        await org.conn.query<Record<string, unknown>>(
          `SELECT Probability, ForecastCategoryName, IsWon, IsClosed, LeadSource, NextStep FROM Opportunity WHERE Id = '${deal.id}'`,
        )
      ).records[0];
    expect(await read()).toMatchObject({
      Probability: 90,
      ForecastCategoryName: 'Pipeline',
      IsWon: false,
      IsClosed: false,
      LeadSource: 'Web',
      NextStep: 'Sign',
    });
    await org.conn.sobject('Opportunity').update({ Id: deal.id ?? '', StageName: 'Closed Won' });
    expect(await read()).toMatchObject({
      Probability: 100,
      ForecastCategoryName: 'Closed',
      IsWon: true,
      IsClosed: true,
    });
    const lead = await org.conn.sobject('Lead').create({ LastName: 'Lee', Company: 'Leads Inc' });
    expect(lead.id).toMatch(/^00Q/);
    const leadRow = await org.conn.sobject('Lead').retrieve(lead.id ?? '');
    expect(leadRow).toMatchObject({
      Name: 'Lee',
      Status: 'Open - Not Contacted',
      IsConverted: false,
    });
    const kase = await org.conn
      .sobject('Case')
      .create({ Subject: 'Broken', AccountId: account.id });
    const caseRow = await org.conn.sobject('Case').retrieve(kase.id ?? '');
    expect(caseRow).toMatchObject({ CaseNumber: '00001001', Status: 'New', IsClosed: false });
    await org.conn.sobject('Case').update({ Id: kase.id ?? '', Status: 'Closed' });
    const closed = await org.conn.query<{ IsClosed: boolean; ClosedDate: string }>(
      `SELECT IsClosed, ClosedDate FROM Case WHERE Id = '${kase.id}'`,
    );
    expect(closed.records[0]).toMatchObject({
      IsClosed: true,
      ClosedDate: expect.stringMatching(/\+0000$/),
    });
    const cases = await org.conn.query<{ Cases: { totalSize: number } }>(
      `SELECT (SELECT Id FROM Cases) FROM Account WHERE Id = '${account.id}'`,
    );
    expect(cases.records[0]?.Cases.totalSize).toBe(1);
  });

  it('exposes usage and per-operation counts through the control API, and lets a test set them', async () => {
    await org.conn.sobject('Account').create([{ Name: 'A' }, { Name: 'B' }]);
    const counters = (await (await fetch(`${org.emulator.url}/emulator/counters`)).json()) as {
      calls: Record<string, number>;
      apiUsage: { used: number; max: number; remaining: number };
    };
    expect(counters.calls['rest POST composite/sobjects']).toBe(1);
    expect(counters.apiUsage).toEqual({ used: 1, max: 100000, remaining: 99999 });
    const set = await fetch(`${org.emulator.url}/emulator/limits`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dailyApiRequests: 100, used: 99 }),
    });
    expect(await set.json()).toEqual({ used: 99, max: 100, remaining: 1 });
    await org.conn.query('SELECT Id FROM Account');
    expect(org.conn.limitInfo.apiUsage).toEqual({ used: 100, limit: 100 });
    expect((await failure(org.conn.query('SELECT Id FROM Account'))).errorCode).toBe(
      'REQUEST_LIMIT_EXCEEDED',
    );
  });

  it('says which API it leaves out instead of a bare 404', async () => {
    const bulk = await failure(org.conn.request('/services/data/v60.0/jobs/ingest'));
    expect(bulk.errorCode).toBe('NOT_FOUND');
    expect(bulk.message).toBe(
      'The requested resource does not exist: the sf-relay emulator does not offer the Bulk API 2.0',
    );
    const tooling = await failure(org.conn.request('/services/data/v60.0/tooling/query?q=x'));
    expect(tooling.message).toContain('the Tooling API');
  });
});
