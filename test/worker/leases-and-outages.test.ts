import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, createLogger } from '../../src/shared/index.ts';
import { relayConfigSchema, workerConfigSchema } from '../../src/config/index.ts';
import { fullJitterDelayMs } from '../../src/worker/index.ts';
import { HttpErpAdapter } from '../../src/erp/index.ts';
import { openInbox, type Inbox } from '../../src/inbox/index.ts';
import { createSalesforceClient } from '../../src/salesforce/index.ts';
import { Worker } from '../../src/worker/index.ts';
import { ManualClock } from '../inbox/manual-clock.ts';
import { emulatorOAuth, leakedSecrets, startLoop, type Loop } from '../support/loop.ts';
import { inboxesUnderTest, postgresForTests } from '../support/postgres.ts';
import { waitFor } from '../support/wait-for.ts';

const postgres = await postgresForTests();
const DEFAULT_WORKER = workerConfigSchema.parse({});

async function setErpFaults(erpUrl: string, faults: Record<string, number>): Promise<void> {
  const reply = await fetch(`${erpUrl}/erp/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  expect(reply.ok).toBe(true);
}

/** The reference ERP's own log: how many order requests it handled for each Opportunity. */
function erpRequestsPerOpportunity(loop: Loop): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of loop.logs.join('').split('\n')) {
    if (
      !line.includes('"event":"erp.order.created"') &&
      !line.includes('"event":"erp.order.replayed"')
    )
      continue;
    const { opportunityId } = JSON.parse(line) as { opportunityId: string };
    counts.set(opportunityId, (counts.get(opportunityId) ?? 0) + 1);
  }
  return counts;
}

function orderNumberOf(l: Loop, id: string): unknown {
  return new Map(l.emulator.store.get(id)?.values ?? []).get('Order_Number__c') ?? null;
}

let loop: Loop | undefined;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  if (loop) expect(leakedSecrets(loop)).toEqual([]);
  await loop?.stop();
  loop = undefined;
});

const stores = inboxesUnderTest(postgres, cleanups);

describe.each(stores)('leases on $name', ({ db, skip }) => {
  it.skipIf(skip !== undefined)(
    'a notification whose ERP call outlasts the lease is never run twice at once: the heartbeat keeps it',
    async () => {
      const url = await db();
      // Leases of one second, ERP answers after three: without renewal the second worker would
      // take every notification over mid-call and send the ERP a second request.
      loop = await startLoop({
        relay: {
          ...(url === undefined ? {} : { db: url }),
          erp: { timeoutMs: 15_000 },
          worker: { leaseSeconds: 1, concurrency: 4 },
        },
      });
      const l = loop;
      const config = relayConfigSchema.parse({
        db: url ?? `sqlite:${l.dir.file('relay.db')}`,
        salesforce: {
          oauth: emulatorOAuth(l.emulator.url),
        },
        worker: { leaseSeconds: 1, concurrency: 4, pollMs: 20 },
      });
      const logger = createLogger('silent');
      const siblingInbox: Inbox = await openInbox(config.db);
      const sibling = new Worker({
        inbox: siblingInbox,
        clock: systemClock,
        logger,
        settings: config.worker,
        salesforce: createSalesforceClient({
          config: config.salesforce,
          clock: systemClock,
          logger,
        }),
        erp: new HttpErpAdapter({ baseUrl: l.erp.url, timeoutMs: 15_000 }),
      });
      sibling.start();
      cleanups.push(async () => {
        await sibling.stop(0);
        await siblingInbox.close();
      });
      await setErpFaults(l.erp.url, { latencyMs: 3000 });

      const ids = Array.from({ length: 6 }, () => l.openOpportunity());
      for (const id of ids) l.close(id);
      await waitFor(
        () => ids.every((id) => orderNumberOf(l, id)),
        'every Opportunity to carry its order number',
        60_000,
      );

      const requests = erpRequestsPerOpportunity(l);
      expect([...requests.values()]).toEqual(ids.map(() => 1));
      expect(l.erp.orders()).toHaveLength(6);
      expect(l.logs.join('')).not.toContain('"event":"worker.lease_lost"');
      expect(sibling.stats.leaseLost + (l.relay.worker?.stats.leaseLost ?? 0)).toBe(0);
    },
    90_000,
  );
});

describe('an ERP outage of 30 minutes', () => {
  it('makes no dead letters: 200 queued notifications are all ordered once it is back', async () => {
    // Virtual time: the relay's backoff, breaker and age limit run on this clock, which the test
    // moves 30 minutes while the ERP answers 503 to everything.
    const clock = new ManualClock(new Date());
    loop = await startLoop({
      clock,
      relay: {
        // The production defaults for retries (the loop's fast test settings undone); a long
        // lease, since virtual time races ahead of the lease's real-time heartbeat.
        worker: {
          leaseSeconds: 3600,
          concurrency: 8,
          maxAttempts: DEFAULT_WORKER.maxAttempts,
          backoffInitialMs: DEFAULT_WORKER.backoffInitialMs,
          backoffMaxMs: DEFAULT_WORKER.backoffMaxMs,
        },
      },
    });
    const l = loop;
    await setErpFaults(l.erp.url, { errorRate: 1 });
    const ids = Array.from({ length: 200 }, () => l.openOpportunity());
    for (const id of ids) l.close(id);
    await waitFor(
      async () =>
        Object.values(await l.relay.inbox.countByState()).reduce((a, b) => a + b, 0) === 200,
      'all 200 stored',
      60_000,
    );

    const outageEnds = clock.now().getTime() + 30 * 60_000;
    while (clock.now().getTime() < outageEnds) {
      clock.advance(5000);
      await sleep(15);
    }
    expect((await l.relay.inbox.countByState()).dead).toBe(0);
    await fetch(`${l.erp.url}/erp/faults`, { method: 'DELETE' });

    const started = performance.now();
    while ((await l.relay.inbox.countByState()).done < 200) {
      expect(performance.now() - started, 'recovery within a few minutes').toBeLessThan(180_000);
      clock.advance(5000);
      await sleep(25);
    }
    expect(await l.relay.inbox.countByState()).toMatchObject({ done: 200, dead: 0 });
    expect(l.erp.orders()).toHaveLength(200);
    expect(ids.every((id) => orderNumberOf(l, id))).toBe(true);
  }, 240_000);
});

describe('the default retry budget', () => {
  it('keeps retrying a temporary failure for as long as Salesforce retries (24 hours), even on unlucky draws', () => {
    // Attempts the capped full-jitter backoff makes in 24 hours when every draw is short (0.4 of
    // the cap where the mean is 0.5: over hundreds of draws, many standard deviations out):
    // the attempt cap must not end the retries before the age limit does.
    let elapsed = 0;
    let attempts = 0;
    while (elapsed < DEFAULT_WORKER.maxAgeHours * 3_600_000) {
      attempts += 1;
      elapsed += fullJitterDelayMs(
        attempts,
        DEFAULT_WORKER.backoffInitialMs,
        DEFAULT_WORKER.backoffMaxMs,
        () => 0.4,
      );
    }
    expect(DEFAULT_WORKER.maxAgeHours).toBe(24);
    expect(attempts).toBeLessThan(DEFAULT_WORKER.maxAttempts);
  });
});
