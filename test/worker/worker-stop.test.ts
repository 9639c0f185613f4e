import { afterEach, describe, expect, it } from 'vitest';
import type { ErpPort } from '../../src/erp/index.ts';
import { openSqliteInbox, type Inbox } from '../../src/inbox/index.ts';
import type { SqliteInbox } from '../../src/inbox/sqlite/sqlite-inbox.ts';
import { createLogger } from '../../src/shared/index.ts';
import type { SalesforceClient } from '../../src/salesforce/index.ts';
import { Worker } from '../../src/worker/index.ts';
import { opportunityId, opportunityNotification, outboundMessage } from '../inbox/messages.ts';
import { ManualClock } from '../inbox/manual-clock.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';
import { waitFor } from '../support/wait-for.ts';

// The worker against a real SQLite inbox; Salesforce is a stand-in whose read-back never
// answers (a hung peer), the ERP one that is never reached.
const hungSalesforce: SalesforceClient = {
  readOpportunity: () => new Promise(() => undefined),
  writeOrderResult: async () => undefined,
  readOpportunities: () => new Promise(() => undefined),
  writeOrderResults: async () => new Map(),
};
const unreachableErp: ErpPort = {
  createOrder: async () => {
    throw new Error('the ERP must not be called');
  },
  findOrderFor: async () => null,
};

let dir: TempDir | undefined;
let inbox: SqliteInbox | undefined;
afterEach(async () => {
  await inbox?.close();
  dir?.remove();
  inbox = dir = undefined;
});

describe('Worker.stop', () => {
  it('aborts work stuck past the grace period and releases every notification, even when one release fails', async () => {
    dir = makeTempDir('sf-relay-stop-');
    const clock = new ManualClock();
    inbox = openSqliteInbox(dir.file('relay.db'), { clock });
    const real = inbox;
    const [first, second] = [1, 2].map((n) => opportunityNotification(opportunityId(n)));
    if (!first || !second) throw new Error('expected two notifications');
    await real.store(outboundMessage([first, second]));
    // The first release fails (the inbox hiccups); the second must still happen.
    const flaky: Inbox = new Proxy(real, {
      get(target, property) {
        if (property === 'release') {
          return (id: string, token: string) =>
            id === first.id
              ? Promise.reject(new Error('disk I/O error'))
              : target.release(id, token);
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => lines.push(line) });
    const worker = new Worker({
      inbox: flaky,
      salesforce: hungSalesforce,
      erp: unreachableErp,
      clock,
      logger,
      settings: {
        concurrency: 2,
        leaseSeconds: 60,
        pollMs: 10,
        maxAttempts: 10,
        maxAgeHours: 24,
        backoffInitialMs: 10,
        backoffMaxMs: 100,
      },
    });
    worker.start();
    await waitFor(async () => (await real.countByState()).processing === 2, 'both claimed');

    const started = performance.now();
    await worker.stop(50);

    expect(performance.now() - started).toBeLessThan(5000);
    expect(await real.get(second.id)).toMatchObject({ state: 'retry_wait', attempts: 0 });
    // Its release failed: it stays leased and comes back when the lease runs out.
    expect(await real.get(first.id)).toMatchObject({ state: 'processing' });
    const log = lines.join('');
    expect(log).toContain('"event":"worker.release_failed"');
    expect(log).toContain('"event":"worker.released"');
  });
});
