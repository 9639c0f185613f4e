import { test } from 'vitest';
import { createLogger } from '../../src/shared/index.ts';
import type { ErpOrderRequest } from '../../src/erp/index.ts';
import { startErp, type RunningErp } from '../../src/erp-service/index.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

export interface ErpUnderTest {
  readonly erp: RunningErp;
  readonly dir: TempDir;
  readonly dbPath: string;
  stop(): Promise<void>;
}

/** A reference ERP on a free loopback port over a fresh SQLite file. */
export async function startTestErp(): Promise<ErpUnderTest> {
  const dir = makeTempDir('sf-relay-erp-');
  const dbPath = dir.file('erp.db');
  const erp = await startErp({ port: 0, dbPath, logger: createLogger('silent') });
  return {
    erp,
    dir,
    dbPath,
    stop: async () => {
      await erp.close();
      dir.remove();
    },
  };
}

/** The test API with an `erp` fixture: a fresh reference ERP for each test that asks for one. */
// vitest reads the fixture's dependencies from an object pattern, so an empty one says "none".
// eslint-disable-next-line no-empty-pattern
export const erpTest = test.extend('erp', async ({}, { onCleanup }) => {
  const under = await startTestErp();
  onCleanup(() => under.stop());
  return under;
});

export function orderRequest(overrides: Partial<ErpOrderRequest> = {}): ErpOrderRequest {
  return {
    opportunityId: '006000000000001AAA',
    opportunityName: 'Acme — 200 widgets',
    accountId: '001000000000001AAA',
    accountName: 'Acme',
    amount: 2000,
    closeDate: '2026-03-31',
    lines: [
      { productCode: 'W-1', productName: 'Widget', quantity: 200, unitPrice: 9.5 },
      { productCode: null, productName: 'Installation', quantity: 1, unitPrice: 100 },
    ],
    ...overrides,
  };
}

export interface JsonReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: Record<string, unknown>;
}

async function toJsonReply(response: Response): Promise<JsonReply> {
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: (await response.json()) as Record<string, unknown>,
  };
}

export async function postOrder(
  baseUrl: string,
  body: unknown,
  idempotencyKey: string | undefined,
): Promise<JsonReply> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
  return toJsonReply(
    await fetch(`${baseUrl}/orders`, { method: 'POST', headers, body: JSON.stringify(body) }),
  );
}

export async function getJson(url: string): Promise<JsonReply> {
  return toJsonReply(await fetch(url));
}

export async function setFaults(
  baseUrl: string,
  faults: Record<string, number>,
): Promise<JsonReply> {
  return toJsonReply(
    await fetch(`${baseUrl}/erp/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    }),
  );
}
