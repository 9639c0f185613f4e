import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ErpKeyConflictError,
  ErpRejectedError,
  ErpUnavailableError,
  HttpErpAdapter,
} from '../../src/erp/index.ts';
import { waitFor } from '../support/wait-for.ts';
import { erpTest, orderRequest } from './erp-fixture.ts';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A stand-in ERP that answers every request with this status and body. */
async function answering(status: number, body: string): Promise<string> {
  server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('HttpErpAdapter', () => {
  erpTest('returns created=true, then created=false for the same key', async ({ erp: under }) => {
    const adapter = new HttpErpAdapter({ baseUrl: under.erp.url, timeoutMs: 5000 });
    const first = await adapter.createOrder(orderRequest(), 'key-1');
    expect(first.created).toBe(true);
    expect(first.order).toEqual({
      orderNumber: 'SO-000001',
      status: 'created',
      opportunityId: '006000000000001AAA',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(await adapter.createOrder(orderRequest(), 'key-1')).toEqual({
      ...first,
      created: false,
    });
  });

  it('sends order after order over one kept-alive connection, which close() ends', async () => {
    const order = {
      orderNumber: 'SO-000001',
      status: 'created',
      opportunityId: '006000000000001AAA',
      createdAt: '2026-11-30T00:00:00.000Z',
      lines: [],
    };
    const baseUrl = await answering(201, JSON.stringify(order));
    const sockets: Socket[] = [];
    server?.on('connection', (socket: Socket) => sockets.push(socket));
    // The server would close the idle connection itself after its keep-alive timeout (5 s).
    if (server) server.keepAliveTimeout = 60_000;
    const adapter = new HttpErpAdapter({ baseUrl, timeoutMs: 5000 });
    for (const key of ['key-1', 'key-2', 'key-3'])
      expect((await adapter.createOrder(orderRequest(), key)).created).toBe(true);
    expect(sockets).toHaveLength(1);

    adapter.close();
    await waitFor(() => sockets[0]?.destroyed === true, 'the ERP connection to close', 2_000);
  });

  erpTest(
    'reports a key reused for another request as ErpKeyConflictError, and finds the order the key made',
    async ({ erp: under }) => {
      const adapter = new HttpErpAdapter({ baseUrl: under.erp.url, timeoutMs: 5000 });
      const { order } = await adapter.createOrder(orderRequest(), '006000000000001AAA');
      const changed = { ...orderRequest(), amount: 99_999 };

      const error = await adapter
        .createOrder(changed, '006000000000001AAA')
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ErpKeyConflictError);
      expect(error).toBeInstanceOf(ErpRejectedError);
      expect(error).toMatchObject({ code: 'ERP_KEY_CONFLICT' });
      await expect(adapter.findOrderFor('006000000000001AAA')).resolves.toEqual(order);
      await expect(adapter.findOrderFor('006000000000002AAA')).resolves.toBeNull();
    },
  );

  erpTest(
    'reports a 5xx as ErpUnavailableError with the problem detail',
    async ({ erp: under }) => {
      under.erp.faults.set({ failNext: 1 });
      const adapter = new HttpErpAdapter({ baseUrl: under.erp.url, timeoutMs: 5000 });
      const error = await adapter.createOrder(orderRequest(), 'key-1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ErpUnavailableError);
      expect(String(error)).toMatch(/answered 503: injected fault/);
    },
  );

  erpTest(
    'reports a reply slower than the timeout as ErpUnavailableError',
    async ({ erp: under }) => {
      under.erp.faults.set({ latencyMs: 1000 });
      const adapter = new HttpErpAdapter({ baseUrl: under.erp.url, timeoutMs: 150 });
      const error = await adapter.createOrder(orderRequest(), 'key-1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ErpUnavailableError);
      expect(String(error)).toContain('timed out after 150 ms');
    },
  );

  erpTest(
    'reports a refused connection as ErpUnavailableError naming the host, not the path',
    async ({ erp: under }) => {
      const closedUrl = under.erp.url;
      await under.erp.close();
      const adapter = new HttpErpAdapter({
        baseUrl: `${closedUrl}/tenant-s3cret`,
        timeoutMs: 2000,
      });
      const error = await adapter.createOrder(orderRequest(), 'key-1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ErpUnavailableError);
      expect(String(error)).toContain(`ERP at ${new URL(closedUrl).host} refused the connection`);
      expect(String(error)).not.toContain('s3cret');
    },
  );

  erpTest('reports a 4xx as ErpRejectedError with the problem detail', async ({ erp: under }) => {
    const adapter = new HttpErpAdapter({ baseUrl: under.erp.url, timeoutMs: 5000 });
    const invalid = await adapter
      .createOrder(orderRequest({ opportunityId: 'nope' }), 'key-1')
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ErpRejectedError);
    expect(String(invalid)).toMatch(/rejected the order with 400: opportunityId: /);

    await adapter.createOrder(orderRequest(), 'key-2');
    const reused = await adapter
      .createOrder(orderRequest({ amount: 1 }), 'key-2')
      .catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(ErpRejectedError);
    expect(String(reused)).toMatch(/422: the key key-2 created SO-000001/);
  });

  it('treats 429 as retryable', async () => {
    const adapter = new HttpErpAdapter({ baseUrl: await answering(429, '{}'), timeoutMs: 2000 });
    await expect(adapter.createOrder(orderRequest(), 'k')).rejects.toBeInstanceOf(
      ErpUnavailableError,
    );
  });

  it('reports a success reply whose body does not fit as ErpUnavailableError naming the field', async () => {
    const adapter = new HttpErpAdapter({
      baseUrl: await answering(201, JSON.stringify({ orderNumber: 7, status: 'created' })),
      timeoutMs: 2000,
    });
    const error = await adapter.createOrder(orderRequest(), 'k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErpUnavailableError);
    expect(String(error)).toMatch(/does not fit: .*orderNumber/);
    expect(String(error)).toContain('opportunityId');
  });

  it('reports a success reply that is not JSON as ErpUnavailableError', async () => {
    const adapter = new HttpErpAdapter({
      baseUrl: await answering(200, '<html>'),
      timeoutMs: 2000,
    });
    await expect(adapter.createOrder(orderRequest(), 'k')).rejects.toThrow(/not JSON/);
  });
});
