import { describe, expect } from 'vitest';
import { getJson, orderRequest, postOrder, erpTest } from './erp-fixture.ts';

function paths(body: Record<string, unknown>): string[] {
  return (body.errors as { path: string }[]).map((e) => e.path);
}

describe('the reference ERP refuses bad requests with problem bodies', () => {
  erpTest(
    'answers 400 naming the header when the Idempotency-Key is missing',
    async ({ erp: under }) => {
      const reply = await postOrder(under.erp.url, orderRequest(), undefined);
      expect(reply.status).toBe(400);
      expect(reply.contentType).toContain('application/problem+json');
      expect(paths(reply.body)).toEqual(['headers.idempotency-key']);
      expect(under.erp.orders()).toHaveLength(0);
    },
  );

  erpTest(
    'answers 400 naming every invalid field, with an RFC 7807 body',
    async ({ erp: under }) => {
      const body = {
        ...orderRequest(),
        opportunityId: 'not-an-id',
        closeDate: '31/03/2026',
        lines: [{ productCode: 'W-1', productName: 'Widget', quantity: 0, unitPrice: 1 }],
        discount: 5,
      };
      const reply = await postOrder(under.erp.url, body, 'key-1');
      expect(reply.status).toBe(400);
      expect(reply.contentType).toContain('application/problem+json');
      expect(reply.body).toMatchObject({
        type: expect.any(String),
        title: expect.any(String),
        status: 400,
      });
      expect(paths(reply.body)).toEqual(
        expect.arrayContaining(['opportunityId', 'closeDate', 'lines.0.quantity', 'body']),
      );
      expect(String(reply.body.detail)).toContain('lines.0.quantity');
      expect(JSON.stringify(reply.body.errors)).toContain('discount');
      expect(under.erp.orders()).toHaveLength(0);
    },
  );

  erpTest('names a missing field', async ({ erp: under }) => {
    const body: Record<string, unknown> = { ...orderRequest() };
    delete body.opportunityName;
    const reply = await postOrder(under.erp.url, body, 'key-1');
    expect(reply.status).toBe(400);
    expect(paths(reply.body)).toEqual(['opportunityName']);
  });

  erpTest(
    'answers 400 with a problem body for JSON that does not parse',
    async ({ erp: under }) => {
      const response = await fetch(`${under.erp.url}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'k' },
        body: '{"opportunityId":',
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await response.json()).toMatchObject({ status: 400, detail: expect.any(String) });
    },
  );

  erpTest(
    'answers 404 problems for an unknown order and an unknown route',
    async ({ erp: under }) => {
      const order = await getJson(`${under.erp.url}/orders/SO-999999`);
      expect(order.status).toBe(404);
      expect(order.contentType).toContain('application/problem+json');
      expect(String(order.body.detail)).toContain('SO-999999');
      const route = await getJson(`${under.erp.url}/invoices`);
      expect(route.status).toBe(404);
      expect(route.contentType).toContain('application/problem+json');
    },
  );

  erpTest(
    'answers an empty list for an opportunity without orders, and healthz',
    async ({ erp: under }) => {
      expect(
        (await getJson(`${under.erp.url}/orders?opportunityId=006000000000009AAA`)).body,
      ).toEqual({
        orders: [],
      });
      expect((await getJson(`${under.erp.url}/healthz`)).body).toEqual({ status: 'ok' });
    },
  );
});
