import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../src/emulator/start-emulator.ts';
import { startTestEmulator } from '../../support/emulator.ts';

/**
 * The second client: Python's simple-salesforce (1.12), which PyPI cannot be reached for here.
 * These tests replay, byte for byte, the requests it sends (simple_salesforce/api.py): every
 * call carries `Content-Type: application/json`, `Authorization: Bearer …` and
 * `X-PrettyPrint: 1`, DELETE and GET included; URLs are built as
 * `https://{instance}/services/data/v{version}/` + path, with trailing slashes on `query/`,
 * `queryAll/`, `sobjects/{type}/` and `limits/`; query parameters are form-encoded (`+` for
 * spaces). The client forces `https://`; the replay rewrites the scheme and host to the emulator.
 */
const INSTANCE = 'acme.my.salesforce.com';
const VERSION = '59.0';
const BASE = `https://${INSTANCE}/services/data/v${VERSION}/`;

let emulator: RunningEmulator;
beforeEach(async () => {
  emulator = await startTestEmulator({ outboundMessages: [] });
});
afterEach(async () => {
  await emulator.close();
});

interface Replayed {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

/** `Salesforce._call_salesforce` / `SFType._call_salesforce`: requests.request(method, url, headers, data). */
async function call(method: string, url: string, data?: unknown): Promise<Replayed> {
  const response = await fetch(url.replace(`https://${INSTANCE}`, emulator.url), {
    method,
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${emulator.accessToken}`,
      'X-PrettyPrint': '1',
    },
    ...(data === undefined ? {} : { body: JSON.stringify(data) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? null : (JSON.parse(text) as unknown),
    headers: response.headers,
  };
}

/** requests' params encoding: `urlencode`, spaces as `+`. */
const params = (values: Record<string, string>): string => new URLSearchParams(values).toString();
const sobjects = (type: string): string => `${BASE}sobjects/${type}/`;

describe('simple-salesforce, replayed', () => {
  it('sf.query() and sf.query_all() with trailing slashes and the usage header', async () => {
    for (let i = 0; i < 3; i++) emulator.store.create('Account', { Name: `A${i}` }, null);
    const query = await call(
      'GET',
      `${BASE}query/?${params({ q: 'SELECT Id, Name FROM Account' })}`,
    );
    expect(query.status).toBe(200);
    expect(query.body).toMatchObject({ totalSize: 3, done: true });
    const all = await call(
      'GET',
      `${BASE}queryAll/?${params({ q: 'SELECT Id FROM Account WHERE IsDeleted = false' })}`,
    );
    expect(all.body).toMatchObject({ totalSize: 3, done: true });
    // parse_api_usage reads the same header jsforce does.
    expect(query.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/100000$/);
  });

  it('follows nextRecordsUrl as query_more(identifier_is_url=True) builds it', async () => {
    for (let i = 0; i < 2100; i++) emulator.store.create('Account', { Name: `A${i}` }, null);
    const first = await call('GET', `${BASE}query/?${params({ q: 'SELECT Id FROM Account' })}`);
    const { nextRecordsUrl, records } = first.body as {
      nextRecordsUrl: string;
      records: unknown[];
    };
    expect(records).toHaveLength(2000);
    const next = await call('GET', `https://${INSTANCE}${nextRecordsUrl}`);
    expect(next.body).toMatchObject({ done: true, totalSize: 2100 });
  });

  it('sf.Opportunity.create / get / update / upsert / get_by_custom_id / delete', async () => {
    const created = await call('POST', sobjects('Opportunity'), {
      Name: 'Python deal',
      StageName: 'Prospecting',
      CloseDate: '2026-12-01',
    });
    expect(created.status).toBe(201);
    const { id } = created.body as { id: string };
    expect(created.body).toEqual({ id, success: true, errors: [] });

    const got = await call('GET', `${sobjects('Opportunity')}${id}`);
    expect(got.body).toMatchObject({ Id: id, Name: 'Python deal', OwnerId: emulator.users[0]?.id });

    const updated = await call('PATCH', `${sobjects('Opportunity')}${id}`, { Amount: 1200 });
    expect(updated.status).toBe(204);

    const upserted = await call('PATCH', `${sobjects('Opportunity')}Order_Number__c/SO-7`, {
      Name: 'Upserted from Python',
      StageName: 'Prospecting',
      CloseDate: '2026-12-01',
    });
    expect(upserted.status).toBe(201);
    const again = await call('PATCH', `${sobjects('Opportunity')}Order_Number__c/SO-7`, {
      Amount: 5,
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ success: true, created: false });

    const byCustomId = await call(
      'GET',
      `${sobjects('Opportunity')}Order_Number__c/${encodeURIComponent('SO-7')}`,
    );
    expect(byCustomId.body).toMatchObject({ Name: 'Upserted from Python', Amount: 5 });

    // DELETE with Content-Type: application/json and no body.
    const deleted = await call('DELETE', `${sobjects('Opportunity')}${id}`);
    expect(deleted.status).toBe(204);
    const gone = await call('GET', `${sobjects('Opportunity')}${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual([{ errorCode: 'ENTITY_IS_DELETED', message: 'entity is deleted' }]);
  });

  it('sf.describe(), sf.Account.metadata(), describe() and limits()', async () => {
    const global = await call('GET', `${BASE}sobjects`);
    expect((global.body as { sobjects: { name: string }[] }).sobjects.map((s) => s.name)).toEqual(
      expect.arrayContaining(['Account', 'Lead', 'Case', 'Opportunity']),
    );
    const metadata = await call('GET', sobjects('Account'));
    expect(metadata.body).toMatchObject({ objectDescribe: { name: 'Account' }, recentItems: [] });
    const describe = await call('GET', `${sobjects('Account')}describe`);
    expect(describe.status).toBe(200);
    const limits = await call('GET', `${BASE}limits/`);
    expect(limits.body).toMatchObject({ DailyApiRequests: { Max: 100000 } });
  });

  it('sf.Account.updated() and deleted() with the date form it sends', async () => {
    const start = emulator.clock.now();
    const account = emulator.store.create('Account', { Name: 'Replicated' }, null);
    emulator.clock.advance(120_000);
    // date_to_iso8601: '%Y-%m-%dT%H:%M:%S' + '+00:00', quote_plus'd.
    const iso = (d: Date): string =>
      encodeURIComponent(`${d.toISOString().slice(0, 19)}+00:00`).replace(/%20/g, '+');
    const end = emulator.clock.now();
    const updated = await call(
      'GET',
      `${sobjects('Account')}updated/?start=${iso(start)}&end=${iso(end)}`,
    );
    expect(updated.body).toMatchObject({ ids: [account] });
    const deleted = await call(
      'GET',
      `${sobjects('Account')}deleted/?start=${iso(start)}&end=${iso(end)}`,
    );
    expect(deleted.body).toMatchObject({ deletedRecords: [] });
  });

  it('sf.restful("composite/sobjects", method="PATCH") and sf.restful("composite", method="POST")', async () => {
    const a = emulator.store.create('Account', { Name: 'A' }, null);
    const collections = await call('PATCH', `${BASE}composite/sobjects`, {
      allOrNone: false,
      records: [{ attributes: { type: 'Account' }, id: a, Rating: 'Hot' }],
    });
    expect(collections.body).toEqual([{ id: a, success: true, errors: [] }]);
    const composite = await call('POST', `${BASE}composite`, {
      compositeRequest: [
        {
          method: 'GET',
          url: `/services/data/v${VERSION}/sobjects/Account/${a}?fields=Rating`,
          referenceId: 'read',
        },
      ],
    });
    expect(composite.body).toMatchObject({
      compositeResponse: [{ httpStatusCode: 200, body: { Rating: 'Hot' }, referenceId: 'read' }],
    });
  });

  it('gets Salesforce-shaped errors for what simple-salesforce maps to its exceptions', async () => {
    const malformed = await call('GET', `${BASE}query/?${params({ q: 'SELEC Id FROM Account' })}`);
    expect(malformed.status).toBe(400); // SalesforceMalformedRequest
    expect((malformed.body as { errorCode: string }[])[0]?.errorCode).toBe('MALFORMED_QUERY');
    const missing = await call('GET', `${sobjects('Account')}001000000000000AAA`);
    expect(missing.status).toBe(404); // SalesforceResourceNotFound
    const expired = await fetch(`${emulator.url}/services/data/v${VERSION}/limits/`, {
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer nope' },
    });
    expect(expired.status).toBe(401); // SalesforceExpiredSession
  });
});
