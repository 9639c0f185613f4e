import { describe, expect, it } from 'vitest';
import {
  ErpRejectedError,
  ErpUnavailableError,
  HttpErpAdapter,
  type ErpPort,
} from '../../src/erp/index.ts';
import { erpTest } from '../erp/erp-fixture.ts';
import type { ClaimedMessage } from '../../src/inbox/index.ts';
import {
  SalesforceAuthError,
  SalesforcePermanentError,
  SalesforceRetryableError,
  SessionExpiredError,
  type OpportunitySnapshot,
  type SalesforceClient,
} from '../../src/salesforce/index.ts';
import { fullJitterDelayMs, processNotification } from '../../src/worker/index.ts';

// Unit tests of the step logic: the ports are replaced by small scripted stand-ins. The whole
// loop against the real emulator and ERP is in order-loop.test.ts.
const OPPORTUNITY = '0065g00000Q1w2eAAB';

const message = (overrides: Partial<ClaimedMessage> = {}): ClaimedMessage => ({
  id: '04l5g00000AbCdEAAV',
  organizationId: '00D5g000004XyZ1EAK',
  actionId: '04k5g000000AbCdAAK',
  objectType: 'Opportunity',
  recordId: OPPORTUNITY,
  fields: { StageName: 'Closed Won' },
  enterpriseUrl: 'https://a.example/c',
  partnerUrl: 'https://a.example/u',
  hasSessionId: false,
  sessionId: null,
  receivedAt: new Date('2026-11-28T08:00:00Z'),
  attemptsSince: new Date('2026-11-28T08:00:00Z'),
  leaseToken: 'lease-1',
  state: 'processing',
  attempts: 1,
  nextAttemptAt: null,
  leaseOwner: 'w',
  leaseExpiresAt: null,
  lastError: null,
  updatedAt: new Date('2026-11-28T08:00:00Z'),
  completedAt: null,
  ...overrides,
});

const snapshot = (overrides: Partial<OpportunitySnapshot> = {}): OpportunitySnapshot => ({
  id: OPPORTUNITY,
  name: 'Acme',
  stageName: 'Closed Won',
  amount: 99,
  closeDate: '2026-12-01',
  accountId: null,
  accountName: null,
  orderNumber: null,
  orderStatus: null,
  lineItems: [
    {
      id: '00k5g00000AbCdEAAA',
      productCode: 'FIB',
      productName: 'Fibre',
      quantity: 2,
      unitPrice: 49.5,
      totalPrice: 99,
    },
  ],
  ...overrides,
});

function salesforce(
  read: () => Promise<OpportunitySnapshot | null>,
  writes: string[] = [],
  sessions: (string | null)[] = [],
): SalesforceClient {
  return {
    readOpportunity: async (target) => {
      sessions.push(target.sessionId);
      return read();
    },
    writeOrderResult: async (_target, id, result) => {
      writes.push(`${id}=${result.orderNumber}/${result.orderStatus}`);
    },
    // processNotification takes one record at a time; the batch calls are the worker's.
    readOpportunities: async () => {
      throw new Error('processNotification must not read in batches');
    },
    writeOrderResults: async () => {
      throw new Error('processNotification must not write in batches');
    },
  };
}

function erp(create: () => Promise<string>, keys: string[] = []): ErpPort {
  return {
    createOrder: async (request, key) => {
      keys.push(key);
      const orderNumber = await create();
      return {
        created: true,
        order: {
          orderNumber,
          status: 'created',
          opportunityId: request.opportunityId,
          createdAt: '',
        },
      };
    },
    findOrderFor: async () => null,
  };
}

const noNewerSession = async (): Promise<string | null> => null;

describe('processNotification', () => {
  it('orders with the Opportunity id as idempotency key and writes the number back', async () => {
    const writes: string[] = [];
    const keys: string[] = [];
    const outcome = await processNotification(message(), {
      salesforce: salesforce(async () => snapshot(), writes),
      erp: erp(async () => 'SO-000001', keys),
      newerSessionId: noNewerSession,
    });
    expect(outcome).toMatchObject({ kind: 'done', orderNumber: 'SO-000001' });
    expect(keys).toEqual([OPPORTUNITY]);
    expect(writes).toEqual([`${OPPORTUNITY}=SO-000001/Created`]);
  });

  erpTest(
    'writes back the order a reused key already made when the Opportunity changed in between (real ERP)',
    async ({ erp: under }) => {
      const adapter = new HttpErpAdapter({ baseUrl: under.erp.url, timeoutMs: 5000 });
      const writes: string[] = [];
      const first = await processNotification(message(), {
        salesforce: {
          ...salesforce(async () => snapshot()),
          // The order is made, then the callback fails: the number never reached Salesforce.
          writeOrderResult: async () => {
            throw new SalesforceRetryableError('UNABLE_TO_LOCK_ROW', 'locked');
          },
        },
        erp: adapter,
        newerSessionId: noNewerSession,
      });
      expect(first).toMatchObject({ kind: 'retry', code: 'UNABLE_TO_LOCK_ROW' });
      // Someone edits the amount before the retry: the ERP sees the same key, another body.
      const retried = await processNotification(message(), {
        salesforce: salesforce(async () => snapshot({ amount: 1 }), writes),
        erp: adapter,
        newerSessionId: noNewerSession,
      });

      const [order] = under.erp.orders();
      expect(under.erp.orders()).toHaveLength(1);
      expect(retried).toMatchObject({ kind: 'done', orderNumber: order?.orderNumber });
      expect(retried.kind === 'done' ? retried.note : '').toMatch(/already existed/);
      expect(writes).toEqual([`${OPPORTUNITY}=${order?.orderNumber}/Created`]);
    },
  );

  it.each([
    ['no longer Closed Won', snapshot({ stageName: 'Prospecting' }), /no longer Closed Won/],
    ['already ordered', snapshot({ orderNumber: 'SO-000009' }), /already carries order SO-000009/],
    ['deleted', null, /no longer exists/],
  ])('does nothing when the record is %s', async (_what, read, note) => {
    const keys: string[] = [];
    const outcome = await processNotification(message(), {
      salesforce: salesforce(async () => read),
      erp: erp(async () => 'SO-1', keys),
      newerSessionId: noNewerSession,
    });
    expect(outcome.kind).toBe('done');
    expect(outcome.kind === 'done' ? outcome.note : '').toMatch(note);
    expect(keys).toEqual([]);
  });

  it('classifies failures by type: retry, loud retry, or dead', async () => {
    const run = (
      read: () => Promise<OpportunitySnapshot | null>,
      create: () => Promise<string> = async () => 'SO-1',
    ) =>
      processNotification(message(), {
        salesforce: salesforce(read),
        erp: erp(create),
        newerSessionId: noNewerSession,
      });
    expect(
      await run(
        async () => snapshot(),
        async () => Promise.reject(new ErpUnavailableError('down')),
      ),
    ).toMatchObject({ kind: 'retry', code: 'ERP_UNAVAILABLE', loud: false });
    expect(
      await run(
        async () => snapshot(),
        async () => Promise.reject(new ErpRejectedError('bad')),
      ),
    ).toMatchObject({ kind: 'dead', code: 'ERP_REJECTED' });
    expect(
      await run(async () => Promise.reject(new SalesforceAuthError('invalid_client'))),
    ).toMatchObject({ kind: 'retry', loud: true });
    expect(
      await run(async () =>
        Promise.reject(new SalesforcePermanentError('ENTITY_IS_DELETED', 'gone')),
      ),
    ).toMatchObject({ kind: 'dead', code: 'ENTITY_IS_DELETED' });
    expect(await run(async () => Promise.reject(new TypeError('bug')))).toMatchObject({
      kind: 'retry',
      code: 'UNEXPECTED',
      loud: true,
    });
  });

  it('tries a newer message SessionId when the legacy session has expired', async () => {
    const sessions: (string | null)[] = [];
    let calls = 0;
    const outcome = await processNotification(message({ sessionId: 'old-session' }), {
      salesforce: salesforce(
        async () =>
          calls++ === 0 ? Promise.reject(new SessionExpiredError('expired')) : snapshot(),
        [],
        sessions,
      ),
      erp: erp(async () => 'SO-2'),
      newerSessionId: async () => 'newer-session',
    });
    expect(outcome.kind).toBe('done');
    expect(sessions).toEqual(['old-session', 'newer-session']);
  });

  it('ignores notifications without a record and refuses objects other than Opportunity', async () => {
    const deps = {
      salesforce: salesforce(async () => snapshot()),
      erp: erp(async () => 'SO-3'),
      newerSessionId: noNewerSession,
    };
    expect((await processNotification(message({ recordId: null }), deps)).kind).toBe('done');
    expect(await processNotification(message({ objectType: 'Account' }), deps)).toMatchObject({
      kind: 'dead',
      code: 'UNSUPPORTED_OBJECT',
    });
  });
});

describe('full-jitter backoff', () => {
  it('draws below a cap that doubles per failure up to the maximum', () => {
    expect(fullJitterDelayMs(1, 100, 10_000, () => 0.999)).toBe(100);
    expect(fullJitterDelayMs(2, 100, 10_000, () => 0.999)).toBe(200);
    expect(fullJitterDelayMs(5, 100, 10_000, () => 0.999)).toBe(1598);
    expect(fullJitterDelayMs(30, 100, 10_000, () => 0.999)).toBe(9990);
    expect(fullJitterDelayMs(3, 100, 10_000, () => 0)).toBe(0);
  });
});
