import { afterEach, describe, expect, it } from 'vitest';
import { startLoop, leakedSecrets, type Loop } from '../support/loop.ts';
import { inboxesUnderTest, postgresForTests } from '../support/postgres.ts';
import { waitFor } from '../support/wait-for.ts';

const postgres = await postgresForTests();

let loop: Loop | undefined;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  if (loop) expect(leakedSecrets(loop)).toEqual([]);
  await loop?.stop();
  loop = undefined;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const stores = inboxesUnderTest(postgres, cleanups);

/** A loop whose emulator sends only when told, so a test decides what arrives together. */
async function loopOn(db: string | undefined): Promise<Loop> {
  return startLoop({
    senderPollMs: 3_600_000,
    relay: { ...(db === undefined ? {} : { db }), worker: { concurrency: 8 } },
  });
}

/** Sends everything queued and waits until the worker has finished it all. */
async function deliverAndSettle(l: Loop, expected: number, timeoutMs?: number): Promise<void> {
  await waitFor(
    async () => {
      await l.emulator.sender.tick();
      const counts = await l.relay.inbox.countByState();
      return (
        l.emulator.queue.size === 0 &&
        counts.received + counts.processing + counts.retry_wait === 0 &&
        counts.done + counts.dead === expected
      );
    },
    `${expected} notifications finished`,
    timeoutMs,
  );
}

/** The relay's token comes before the count: a token request is not an API request. */
async function warmToken(l: Loop): Promise<void> {
  const id = l.openOpportunity('Warm-up');
  l.close(id);
  await deliverAndSettle(l, 1);
}

describe.each(stores)('batches on $name', ({ db, skip }) => {
  it.skipIf(skip !== undefined)(
    'a record-level error in the batch write fails only its notification; the others are done, for two API calls in all',
    async () => {
      loop = await loopOn(await db());
      await warmToken(loop);
      // Order_Number__c is unique: an open Opportunity already holds a number the ERP will
      // hand out in this batch, so exactly one record of the write-back is refused.
      const holder = loop.openOpportunity('Holder');
      loop.emulator.store.update('Opportunity', holder, { Order_Number__c: 'SO-000004' }, null);
      const ids = [1, 2, 3, 4, 5].map((n) => loop?.openOpportunity(`Batch ${n}`) ?? '');
      const before = loop.emulator.counters.apiRequests();
      for (const id of ids) loop.close(id);
      await deliverAndSettle(loop, 6);

      expect(loop.emulator.counters.apiRequests() - before).toBe(2);
      const states = await Promise.all(
        ids.map(async (id) => (await loop?.relay.inbox.list({ recordId: id }))?.[0]),
      );
      const dead = states.filter((m) => m?.state === 'dead');
      expect(dead).toHaveLength(1);
      expect(dead[0]?.lastError).toContain('DUPLICATE_VALUE');
      expect(states.filter((m) => m?.state === 'done')).toHaveLength(4);
      for (const id of ids) {
        const number = loop.emulator.store.get(id)?.values.get('Order_Number__c');
        if (id === dead[0]?.recordId) expect(number ?? null).toBeNull();
        else expect(number).toMatch(/^SO-\d+$/);
      }
    },
  );

  it.skipIf(skip !== undefined)(
    'a single close costs two Salesforce API calls: one read-back, one write-back',
    async () => {
      loop = await loopOn(await db());
      await warmToken(loop);
      const id = loop.openOpportunity();
      const before = loop.emulator.counters.apiRequests();
      loop.close(id);
      await deliverAndSettle(loop, 2);
      expect(loop.emulator.counters.apiRequests() - before).toBe(2);
      expect(loop.emulator.store.get(id)?.values.get('Order_Number__c')).toMatch(/^SO-\d+$/);
    },
  );
});

describe('a burst', () => {
  it('of 600 closes costs at most 0.02 Salesforce API calls per order', async () => {
    loop = await loopOn(undefined);
    await warmToken(loop);
    const ids = Array.from({ length: 600 }, () => loop?.openOpportunity() ?? '');
    const before = loop.emulator.counters.apiRequests();
    for (const id of ids) loop.close(id);
    await deliverAndSettle(loop, 601, 100_000);
    const calls = loop.emulator.counters.apiRequests() - before;
    expect((await loop.relay.inbox.countByState()).dead).toBe(0);
    expect(calls / ids.length).toBeLessThanOrEqual(0.02);
  }, 150_000);
});
