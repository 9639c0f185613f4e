import { afterEach, describe, expect } from 'vitest';
import { createLogger } from '../../src/shared/index.ts';
import { startErp, type RunningErp } from '../../src/erp-service/index.ts';
import { getJson, orderRequest, postOrder, erpTest } from './erp-fixture.ts';

let restarted: RunningErp | undefined;
afterEach(async () => {
  await restarted?.close();
  restarted = undefined;
});

describe('POST /orders with an Idempotency-Key', () => {
  erpTest(
    'creates the order with 201, then answers a repeat with 200 and the same order',
    async ({ erp: under }) => {
      const first = await postOrder(under.erp.url, orderRequest(), 'key-1');
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        orderNumber: 'SO-000001',
        status: 'created',
        opportunityId: '006000000000001AAA',
        lines: [
          {
            lineNumber: 1,
            productCode: 'W-1',
            productName: 'Widget',
            quantity: 200,
            unitPrice: 9.5,
          },
          {
            lineNumber: 2,
            productCode: null,
            productName: 'Installation',
            quantity: 1,
            unitPrice: 100,
          },
        ],
      });

      const repeat = await postOrder(under.erp.url, orderRequest(), 'key-1');
      expect(repeat.status).toBe(200);
      expect(repeat.body).toEqual(first.body);
      expect(under.erp.orders()).toHaveLength(1);
    },
  );

  erpTest(
    'treats the same body with its keys in another order as the same request',
    async ({ erp: under }) => {
      const request = orderRequest();
      const reordered = Object.fromEntries(Object.entries(request).reverse());
      expect((await postOrder(under.erp.url, request, 'key-1')).status).toBe(201);
      const repeat = await postOrder(under.erp.url, reordered, 'key-1');
      expect(repeat.status).toBe(200);
      expect(repeat.body.orderNumber).toBe('SO-000001');
    },
  );

  erpTest(
    'answers 422 when the key comes back with a different body, and creates nothing',
    async ({ erp: under }) => {
      await postOrder(under.erp.url, orderRequest(), 'key-1');
      const reuse = await postOrder(under.erp.url, orderRequest({ amount: 1 }), 'key-1');
      expect(reuse.status).toBe(422);
      expect(reuse.contentType).toContain('application/problem+json');
      expect(reuse.body).toMatchObject({
        status: 422,
        type: expect.any(String),
        title: expect.any(String),
      });
      expect(String(reuse.body.detail)).toContain('SO-000001');
      expect(under.erp.orders()).toHaveLength(1);
    },
  );

  erpTest('creates one order from 10 identical requests sent at once', async ({ erp: under }) => {
    const url = under.erp.url;
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => postOrder(url, orderRequest(), 'same-key')),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([
      200, 200, 200, 200, 200, 200, 200, 200, 200, 201,
    ]);
    expect(new Set(replies.map((r) => r.body.orderNumber))).toEqual(new Set(['SO-000001']));
    expect(under.erp.orders()).toHaveLength(1);
  });

  erpTest(
    'numbers orders of different keys in sequence and lists them by opportunity and page by page',
    async ({ erp: under }) => {
      const other = '006000000000002AAA';
      await postOrder(under.erp.url, orderRequest(), 'a');
      await postOrder(under.erp.url, orderRequest({ opportunityId: other }), 'b');
      await postOrder(under.erp.url, orderRequest({ opportunityId: other, amount: 5 }), 'c');

      const listed = await getJson(`${under.erp.url}/orders?opportunityId=${other}`);
      expect(listed.status).toBe(200);
      expect((listed.body.orders as { orderNumber: string }[]).map((o) => o.orderNumber)).toEqual([
        'SO-000002',
        'SO-000003',
      ]);
      const page = await getJson(`${under.erp.url}/orders?limit=2&offset=1`);
      expect((page.body.orders as { orderNumber: string }[]).map((o) => o.orderNumber)).toEqual([
        'SO-000002',
        'SO-000003',
      ]);
      const beyond = await getJson(`${under.erp.url}/orders?offset=3`);
      expect(beyond.body.orders).toEqual([]);
      const one = await getJson(`${under.erp.url}/orders/SO-000002`);
      expect(one.body).toMatchObject({ orderNumber: 'SO-000002', opportunityId: other });
      expect(under.erp.orders({ opportunityId: other })).toHaveLength(2);
    },
  );

  erpTest(
    'keeps its orders across a restart on the same file and continues the number sequence',
    async ({ erp: under }) => {
      await postOrder(under.erp.url, orderRequest(), 'a');
      await postOrder(under.erp.url, orderRequest({ amount: 7 }), 'b');
      await under.erp.close();

      restarted = await startErp({ port: 0, dbPath: under.dbPath, logger: createLogger('silent') });
      const repeat = await postOrder(restarted.url, orderRequest(), 'a');
      expect(repeat.status).toBe(200);
      expect(repeat.body.orderNumber).toBe('SO-000001');
      const next = await postOrder(restarted.url, orderRequest({ amount: 8 }), 'c');
      expect(next.status).toBe(201);
      expect(next.body.orderNumber).toBe('SO-000003');
      expect(restarted.orders().map((o) => o.orderNumber)).toEqual([
        'SO-000001',
        'SO-000002',
        'SO-000003',
      ]);
    },
  );
});
