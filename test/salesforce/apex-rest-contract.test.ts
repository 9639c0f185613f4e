import { describe, expect, it } from 'vitest';
import { APEX_REST_ORDERS_PATH } from '../../src/salesforce/index.ts';
import { createOpportunity, orgTest, type TestOrg } from './salesforce-org.ts';

let org: TestOrg;
let token: string;

orgTest.beforeAll(({ org: started }) => {
  org = started;
  token = org.emulator.authority.issue(org.userId).accessToken;
});

async function post(body: string, bearer: string | null = token) {
  const response = await fetch(`${org.emulator.url}${APEX_REST_ORDERS_PATH}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
    },
    body,
  });
  return { status: response.status, json: (await response.json()) as unknown };
}

describe('the emulated SfRelayOrders Apex REST class', () => {
  it('writes the order fields and answers success with the 18-character id', async () => {
    const id = createOpportunity(org);
    const reply = await post(
      JSON.stringify({
        opportunityId: id.slice(0, 15),
        orderNumber: 'SO-apex',
        orderStatus: 'Created',
      }),
    );
    expect(reply).toEqual({ status: 200, json: { success: true, opportunityId: id } });
    expect(org.emulator.store.get(id)?.values.get('Order_Number__c')).toBe('SO-apex');
  });

  it.each([
    ['no bearer', null, '{}', 401, 'INVALID_SESSION_ID'],
    ['a revoked bearer', 'revoked', '{}', 401, 'INVALID_SESSION_ID'],
    ['a body that is not JSON', undefined, '{nope', 400, 'JSON_PARSER_ERROR'],
    ['a body of the wrong shape', undefined, '{"opportunityId":1}', 400, 'JSON_PARSER_ERROR'],
    [
      'an empty order number',
      undefined,
      '{"opportunityId":"0065g000000000AAAA","orderNumber":" ","orderStatus":"Created"}',
      400,
      'REQUIRED_FIELD_MISSING',
    ],
    [
      'an id of another object',
      undefined,
      '{"opportunityId":"001000000000001","orderNumber":"SO-x","orderStatus":"Created"}',
      400,
      'MALFORMED_ID',
    ],
    [
      'an Opportunity that does not exist',
      undefined,
      '{"opportunityId":"006000000000999","orderNumber":"SO-x","orderStatus":"Created"}',
      404,
      'NOT_FOUND',
    ],
  ] as const)('answers %s with %i %s', async (_case, bearer, body, status, errorCode) => {
    const reply = await post(body, bearer === undefined ? token : bearer);
    expect(reply.status).toBe(status);
    expect(reply.json).toEqual([{ errorCode, message: expect.any(String) }]);
  });
});

describe('the SfRelayOrders list form', () => {
  it('writes every order in one API call, each with its own result in request order', async () => {
    const [first, taken, last] = [1, 2, 3].map(() => createOpportunity(org));
    if (first === undefined || taken === undefined || last === undefined)
      throw new Error('expected three Opportunities');
    expect(
      (
        await post(
          JSON.stringify({ opportunityId: taken, orderNumber: 'SO-kept', orderStatus: 'Created' }),
        )
      ).status,
    ).toBe(200);
    const before = org.emulator.counters.snapshot().totalCalls;

    const reply = await post(
      JSON.stringify({
        orders: [
          { opportunityId: first.slice(0, 15), orderNumber: 'SO-list-1', orderStatus: 'Created' },
          { opportunityId: taken, orderNumber: 'SO-list-2', orderStatus: 'Created' },
          { opportunityId: last, orderNumber: 'SO-list-3', orderStatus: 'Created' },
        ],
      }),
    );

    expect(org.emulator.counters.snapshot().totalCalls - before).toBe(1);
    expect(reply).toEqual({
      status: 200,
      json: {
        results: [
          { opportunityId: first, success: true },
          {
            opportunityId: taken,
            success: false,
            status: 409,
            errorCode: 'ORDER_NUMBER_CONFLICT',
            message: expect.stringContaining('SO-kept'),
          },
          { opportunityId: last, success: true },
        ],
      },
    });
    expect(org.emulator.store.get(taken)?.values.get('Order_Number__c')).toBe('SO-kept');
    expect(org.emulator.store.get(last)?.values.get('Order_Number__c')).toBe('SO-list-3');
  });

  it('refuses more than 200 orders as a whole with 400 EXCEEDED_ID_LIMIT', async () => {
    const orders = Array.from({ length: 201 }, (_, n) => ({
      opportunityId: '006000000000999',
      orderNumber: `SO-${n}`,
      orderStatus: 'Created',
    }));
    const reply = await post(JSON.stringify({ orders }));
    expect(reply).toEqual({
      status: 400,
      json: [{ errorCode: 'EXCEEDED_ID_LIMIT', message: expect.any(String) }],
    });
  });
});
