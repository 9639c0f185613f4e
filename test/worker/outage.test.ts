import { afterEach, describe, expect, it } from 'vitest';
import { OutageBreaker } from '../../src/worker/outage-breaker.ts';
import { ManualClock } from '../inbox/manual-clock.ts';
import { leakedSecrets, startLoop, type Loop } from '../support/loop.ts';
import { waitFor } from '../support/wait-for.ts';

describe('OutageBreaker', () => {
  const settings = { threshold: 3, initialPauseMs: 1000, maxPauseMs: 3000 };

  it('pauses after the threshold of retries in a row, doubling up to the maximum', () => {
    const clock = new ManualClock();
    const breaker = new OutageBreaker(settings, clock);
    expect([breaker.record('retry'), breaker.record('retry')]).toEqual([0, 0]);
    expect(breaker.record('retry')).toBe(1000);
    expect(breaker.pauseRemainingMs()).toBe(1000);
    // Failures of work already in flight during the pause do not stack pauses…
    expect([1, 2, 3].map(() => breaker.record('retry'))).toEqual([0, 0, 0]);
    clock.advance(1000);
    expect(breaker.pauseRemainingMs()).toBe(0);
    // …but once it ends, the first failure shows the peer is still down: pause again at once.
    expect(breaker.record('retry')).toBe(2000);
    clock.advance(2000);
    expect([1, 2, 3].map(() => breaker.record('retry'))).toEqual([0, 0, 3000]);
  });

  it('closes on any definitive answer: a success or a dead letter', () => {
    for (const answer of ['done', 'dead'] as const) {
      const breaker = new OutageBreaker(settings, new ManualClock());
      breaker.record('retry');
      breaker.record('retry');
      breaker.record(answer);
      expect(breaker.record('retry')).toBe(0);
      breaker.record('retry');
      breaker.record('retry');
      expect(breaker.pauseRemainingMs()).toBe(1000);
      breaker.record(answer);
      expect(breaker.pauseRemainingMs()).toBe(0);
    }
  });
});

describe('a worker facing an ERP outage', () => {
  let loop: Loop | undefined;
  afterEach(async () => {
    if (loop) expect(leakedSecrets(loop)).toEqual([]);
    await loop?.stop();
    loop = undefined;
  });

  it('stops claiming instead of spending every queued notification’s attempts, and resumes when it is back', async () => {
    loop = await startLoop({
      relay: {
        worker: { concurrency: 2, backoffInitialMs: 1500, backoffMaxMs: 3000, maxAttempts: 50 },
      },
    });
    const l = loop;
    const down = await fetch(`${l.erp.url}/erp/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorRate: 1 }),
    });
    expect(down.ok).toBe(true);
    const ids = Array.from({ length: 40 }, () => l.openOpportunity());
    for (const id of ids) l.close(id);
    await waitFor(
      async () =>
        Object.values(await l.relay.inbox.countByState()).reduce((a, b) => a + b, 0) === 40,
      'all 40 stored',
      20_000,
    );
    await waitFor(() => l.logs.join('').includes('"event":"worker.paused"'), 'the worker to pause');

    // While paused, most of the backlog has not been tried at all.
    const tried = (await l.relay.inbox.list({ limit: 100 })).filter((m) => m.attempts > 0);
    expect(tried.length).toBeLessThan(20);

    await fetch(`${l.erp.url}/erp/faults`, { method: 'DELETE' });
    await waitFor(
      async () => (await l.relay.inbox.countByState()).done === 40,
      'every notification done once the ERP is back',
      30_000,
    );
    expect(l.erp.orders()).toHaveLength(40);
  });
});
