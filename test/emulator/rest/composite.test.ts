import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startJsforceOrg, type JsforceOrg } from './jsforce-org.ts';

let org: JsforceOrg;
beforeEach(async () => {
  org = await startJsforceOrg();
});
afterEach(async () => {
  await org.emulator.close();
});

interface SubResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const opportunity = { StageName: 'Prospecting', CloseDate: '2026-12-01' };

describe('/composite through jsforce requestPost', () => {
  it('runs sub-requests in order, feeding one result into the next, as one API call', async () => {
    const before = org.emulator.usage.used;
    const { compositeResponse } = (await org.conn.requestPost('/composite', {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v60.0/sobjects/Account',
          referenceId: 'newAccount',
          body: { Name: 'Composite Co' },
        },
        {
          method: 'POST',
          url: '/services/data/v60.0/sobjects/Opportunity',
          referenceId: 'newOpportunity',
          body: { Name: 'Composite deal', AccountId: '@{newAccount.id}', ...opportunity },
        },
        {
          method: 'GET',
          url: '/services/data/v60.0/sobjects/Opportunity/@{newOpportunity.id}?fields=Name,AccountId',
          referenceId: 'readBack',
        },
        {
          method: 'GET',
          url: "/services/data/v60.0/query?q=SELECT+Id+FROM+Account+WHERE+Name='Composite Co'",
          referenceId: 'query',
        },
      ],
    })) as { compositeResponse: SubResult[] };
    const [account, deal, readBack, query] = compositeResponse;
    expect(account).toEqual({
      body: { id: expect.stringMatching(/^001/), success: true, errors: [] },
      httpHeaders: {
        Location: `/services/data/v60.0/sobjects/Account/${(account?.body as { id: string }).id}`,
      },
      httpStatusCode: 201,
      referenceId: 'newAccount',
    });
    expect(deal).toMatchObject({ httpStatusCode: 201, referenceId: 'newOpportunity' });
    expect(readBack).toMatchObject({
      httpStatusCode: 200,
      body: { Name: 'Composite deal', AccountId: (account?.body as { id: string }).id },
    });
    expect(query).toMatchObject({ httpStatusCode: 200, body: { totalSize: 1 } });
    // "The entire Composite request counts as a single call toward your API limits."
    expect(org.emulator.usage.used - before).toBe(1);
    expect(org.emulator.counters.snapshot().calls['rest POST composite']).toBe(1);
  });

  it('rolls everything back with allOrNone: the failure keeps its error, the others PROCESSING_HALTED', async () => {
    const { compositeResponse } = (await org.conn.requestPost('/composite', {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v60.0/sobjects/Account',
          referenceId: 'ok',
          body: { Name: 'Rolled back' },
        },
        {
          method: 'POST',
          url: '/services/data/v60.0/sobjects/Account',
          referenceId: 'bad',
          body: { Nope__c: 1 },
        },
        {
          method: 'POST',
          url: '/services/data/v60.0/sobjects/Account',
          referenceId: 'never',
          body: { Name: 'Never run' },
        },
      ],
    })) as { compositeResponse: SubResult[] };
    const halted = [
      {
        errorCode: 'PROCESSING_HALTED',
        message:
          'The transaction was rolled back since another operation in the same transaction failed.',
      },
    ];
    expect(compositeResponse.map((r) => r.httpStatusCode)).toEqual([400, 400, 400]);
    expect(compositeResponse[0]?.body).toEqual(halted);
    expect(compositeResponse[1]?.body).toEqual([
      {
        errorCode: 'INVALID_FIELD',
        message: "No such column 'Nope__c' on sobject of type Account",
        fields: ['Nope__c'],
      },
    ]);
    expect(compositeResponse[2]?.body).toEqual(halted);
    expect([...org.emulator.store.scan('Account')]).toHaveLength(0);
  });

  it('rolls back a collection committed inside it when a later sub-request fails', async () => {
    const { compositeResponse } = (await org.conn.requestPost('/composite', {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v60.0/composite/sobjects',
          referenceId: 'many',
          body: {
            allOrNone: false,
            records: [
              { attributes: { type: 'Account' }, Name: 'In a collection 1' },
              { attributes: { type: 'Account' }, Name: 'In a collection 2' },
            ],
          },
        },
        {
          method: 'PATCH',
          url: '/services/data/v60.0/sobjects/Account/@{many[0].id}',
          referenceId: 'bad',
          body: { NumberOfEmployees: 'lots' },
        },
      ],
    })) as { compositeResponse: SubResult[] };
    expect(compositeResponse.map((r) => r.httpStatusCode)).toEqual([400, 400]);
    expect(compositeResponse[1]?.body).toMatchObject([
      { errorCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD' },
    ]);
    expect([...org.emulator.store.scan('Account')]).toHaveLength(0);
    expect(org.emulator.counters.snapshot().calls['rest POST composite/sobjects']).toBeUndefined();
  });

  it('without allOrNone keeps what succeeded and halts only what refers to a failure', async () => {
    const { compositeResponse } = (await org.conn.requestPost('/composite', {
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v60.0/sobjects/Account',
          referenceId: 'bad',
          body: {},
        },
        {
          method: 'PATCH',
          url: '/services/data/v60.0/sobjects/Account/@{bad.id}',
          referenceId: 'dependent',
          body: { Name: 'x' },
        },
        {
          method: 'POST',
          url: '/services/data/v60.0/sobjects/Account',
          referenceId: 'independent',
          body: { Name: 'Kept' },
        },
      ],
    })) as { compositeResponse: SubResult[] };
    expect(compositeResponse.map((r) => r.httpStatusCode)).toEqual([400, 400, 201]);
    expect(compositeResponse[1]?.body).toEqual([
      { errorCode: 'PROCESSING_HALTED', message: expect.stringContaining('bad.id') },
    ]);
    expect([...org.emulator.store.scan('Account')].map((a) => a.values.get('Name'))).toEqual([
      'Kept',
    ]);
  });

  it('refuses a malformed composite request as a whole with 400', async () => {
    const error = (await org.conn
      .requestPost('/composite', { compositeRequest: [{ method: 'GET', url: '/x' }] })
      .catch((e: unknown) => e)) as { errorCode: string };
    expect(error.errorCode).toBe('JSON_PARSER_ERROR');
  });
});

describe('/composite/batch', () => {
  it('runs independent sub-requests and halts after a failure with haltOnError', async () => {
    const account = await org.conn.sobject('Account').create({ Name: 'Batch' });
    const response = (await org.conn.requestPost('/composite/batch', {
      haltOnError: true,
      batchRequests: [
        {
          method: 'PATCH',
          url: `v60.0/sobjects/Account/${account.id}`,
          richInput: { Rating: 'Warm' },
        },
        { method: 'GET', url: `v60.0/sobjects/Account/${account.id}?fields=Rating` },
        { method: 'GET', url: 'v60.0/sobjects/Account/001000000000000AAA' },
        { method: 'GET', url: 'v60.0/limits' },
      ],
    })) as { hasErrors: boolean; results: { statusCode: number; result: unknown }[] };
    expect(response.hasErrors).toBe(true);
    expect(response.results[0]).toEqual({ statusCode: 204, result: null });
    expect(response.results[1]).toMatchObject({ statusCode: 200, result: { Rating: 'Warm' } });
    expect(response.results[2]).toMatchObject({
      statusCode: 404,
      result: [{ errorCode: 'NOT_FOUND' }],
    });
    expect(response.results[3]).toEqual({
      statusCode: 412,
      result: [
        { errorCode: 'BATCH_PROCESSING_HALTED', message: 'Batch processing halted per request' },
      ],
    });
  });
});
