import { describe, expect } from 'vitest';
import { waitFor } from '../support/wait-for.ts';
import { ErpUnavailableError, HttpErpAdapter } from '../../src/erp/index.ts';
import { getJson, orderRequest, postOrder, setFaults, erpTest } from './erp-fixture.ts';

describe('fault injection in the reference ERP', () => {
  erpTest(
    'answers 503 problems for the next N creates without creating anything, then recovers',
    async ({ erp: under }) => {
      expect((await setFaults(under.erp.url, { failNext: 2 })).status).toBe(200);
      for (let i = 0; i < 2; i++) {
        const failed = await postOrder(under.erp.url, orderRequest(), 'key-1');
        expect(failed.status).toBe(503);
        expect(failed.contentType).toContain('application/problem+json');
      }
      expect(under.erp.orders()).toHaveLength(0);
      expect((await postOrder(under.erp.url, orderRequest(), 'key-1')).status).toBe(201);
      expect((await getJson(`${under.erp.url}/erp/faults`)).body).toMatchObject({
        failNext: 0,
        injected: { errors: 2, drops: 0 },
      });
    },
  );

  erpTest(
    'fails every create at errorRate 1 and none once the faults are deleted',
    async ({ erp: under }) => {
      await setFaults(under.erp.url, { errorRate: 1 });
      expect((await postOrder(under.erp.url, orderRequest(), 'key-1')).status).toBe(503);
      // Reads stay reliable, so a test can always check what was committed.
      expect((await getJson(`${under.erp.url}/orders`)).status).toBe(200);
      const cleared = await fetch(`${under.erp.url}/erp/faults`, { method: 'DELETE' });
      expect(await cleared.json()).toMatchObject({ errorRate: 0, failNext: 0, latencyMs: 0 });
      expect((await postOrder(under.erp.url, orderRequest(), 'key-1')).status).toBe(201);
    },
  );

  erpTest('fails the same requests again for the same seed', async ({ erp: under }) => {
    const url = under.erp.url;
    async function pattern(): Promise<number[]> {
      await setFaults(url, { errorRate: 0.5, seed: 42 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++)
        statuses.push((await postOrder(url, orderRequest(), 'k')).status);
      return statuses;
    }
    const first = await pattern();
    expect(first).toContain(503);
    expect(await pattern()).toEqual(first.map((s) => (s === 503 ? 503 : 200)));
  });

  erpTest('adds latency to creates', async ({ erp: under }) => {
    under.erp.faults.set({ latencyMs: 300 });
    const started = performance.now();
    expect((await postOrder(under.erp.url, orderRequest(), 'key-1')).status).toBe(201);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  erpTest(
    'commits, then drops the connection; the retry with the same key gets the same order',
    async ({ erp: under }) => {
      const adapter = new HttpErpAdapter({ baseUrl: under.erp.url, timeoutMs: 5000 });
      await setFaults(under.erp.url, { dropAfterCommitNext: 1 });

      const dropped = adapter.createOrder(orderRequest(), '006000000000001AAA');
      await expect(dropped).rejects.toBeInstanceOf(ErpUnavailableError);
      await expect(dropped).rejects.toThrow(/closed the connection before replying/);
      const committed = under.erp.orders();
      expect(committed.map((o) => o.orderNumber)).toEqual(['SO-000001']);

      const retry = await adapter.createOrder(orderRequest(), '006000000000001AAA');
      expect(retry).toEqual({
        created: false,
        order: expect.objectContaining({ orderNumber: 'SO-000001', status: 'created' }),
      });
      expect(under.erp.orders()).toHaveLength(1);
    },
  );

  erpTest(
    'at timeoutRate 1 holds a create past the client timeout, and it still commits',
    async ({ erp: under }) => {
      const adapter = new HttpErpAdapter({ baseUrl: under.erp.url, timeoutMs: 200 });
      await setFaults(under.erp.url, { timeoutRate: 1, timeoutMs: 600 });
      await expect(
        adapter.createOrder(orderRequest(), '006000000000001AAA'),
      ).rejects.toBeInstanceOf(ErpUnavailableError);
      // The held request goes on behind the client's back: the retry finds the same order.
      await setFaults(under.erp.url, { timeoutRate: 0 });
      const { erp } = under;
      await waitFor(() => erp.orders().length === 1, 'the held create to commit');
      const retry = await adapter.createOrder(orderRequest(), '006000000000001AAA');
      expect(retry.created).toBe(false);
      expect(erp.orders()).toHaveLength(1);
      expect((await getJson(`${under.erp.url}/erp/faults`)).body).toMatchObject({
        injected: { errors: 0, drops: 0, timeouts: 1 },
      });
    },
  );

  erpTest('at dropRate 1 commits every create and drops every reply', async ({ erp: under }) => {
    const adapter = new HttpErpAdapter({ baseUrl: under.erp.url, timeoutMs: 5000 });
    await setFaults(under.erp.url, { dropRate: 1, seed: 7 });
    for (const id of ['006000000000001AAA', '006000000000002AAA']) {
      await expect(
        adapter.createOrder(orderRequest({ opportunityId: id }), id),
      ).rejects.toBeInstanceOf(ErpUnavailableError);
    }
    expect(under.erp.orders()).toHaveLength(2);
    expect(under.erp.faults.state().injected.drops).toBe(2);
  });

  erpTest('refuses fault settings out of range, naming the field', async ({ erp: under }) => {
    const reply = await setFaults(under.erp.url, { errorRate: 2, failNext: -1 });
    expect(reply.status).toBe(400);
    expect((reply.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
      'errorRate',
      'failNext',
    ]);
  });
});
