import { afterEach, describe, expect, it } from 'vitest';
import { startErp, type RunningErp } from '../../src/erp-service/index.ts';
import type { RunningEmulator } from '../../src/emulator/index.ts';
import { seedCatalogue, startTestEmulator } from '../support/emulator.ts';
import { writeRelayConfigFile } from '../support/loop.ts';
import { killRelay, spawnRelay, type RelayProcess } from '../support/relay-process.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';
import { waitFor } from '../support/wait-for.ts';
import { openInbox } from '../../src/inbox/index.ts';
import { createLogger } from '../../src/shared/index.ts';

let dir: TempDir | undefined;
let emulator: RunningEmulator | undefined;
let erp: RunningErp | undefined;
const processes: RelayProcess[] = [];
afterEach(async () => {
  for (const child of processes.splice(0)) await killRelay(child);
  await emulator?.close();
  await erp?.close();
  dir?.remove();
  dir = emulator = erp = undefined;
});

describe('a worker killed mid-flight', () => {
  it('leaves its notification to another worker once the lease expires, and still one order', async () => {
    dir = makeTempDir();
    erp = await startErp({ port: 0, dbPath: dir.file('erp.db'), logger: createLogger('silent') });
    emulator = await startTestEmulator({
      delivery: { pollMs: 20, timeoutSeconds: 10, maxConcurrent: 1 },
    });
    const db = `sqlite:${dir.file('relay.db')}`;
    const config = writeRelayConfigFile(
      dir.file('relay.json'),
      { emulator, erpUrl: erp.url, db },
      {
        erp: { url: erp.url, timeoutMs: 20_000 },
        worker: { leaseSeconds: 2, pollMs: 50, backoffInitialMs: 20, backoffMaxMs: 200 },
      },
    );
    const listener = await spawnRelay(['--config', config, '--role', 'listener']);
    processes.push(listener);
    emulator.definitions.setEndpoint('Opportunity_Closed_Won', `${listener.url}/soap/outbound`);

    // The ERP answers slowly, so the first worker is inside its call when it dies.
    await fetch(`${erp.url}/erp/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 4000 }),
    });
    const first = await spawnRelay(['--config', config, '--role', 'worker']);
    processes.push(first);
    const { accountId } = seedCatalogue(emulator);
    const id = emulator.store.create(
      'Opportunity',
      { Name: 'Crash', AccountId: accountId, StageName: 'Closed Won', CloseDate: '2026-12-15' },
      null,
    );

    const inbox = await openInbox(db, { readonly: true });
    try {
      await waitFor(
        async () => (await inbox.list({ recordId: id }))[0]?.state === 'processing',
        'the first worker to claim it',
      );
      first.child.kill('SIGKILL');
      expect(await first.exited).toBe('SIGKILL');
      await fetch(`${erp.url}/erp/faults`, { method: 'DELETE' });

      const second = await spawnRelay(['--config', config, '--role', 'worker']);
      processes.push(second);
      await waitFor(
        () => emulator?.store.get(id)?.values.get('Order_Number__c'),
        'the second worker to finish',
        30_000,
      );
      const stored = await waitFor(async () => {
        const [message] = await inbox.list({ recordId: id });
        return message?.state === 'done' && message;
      }, 'the notification to be done');
      expect(stored.attempts).toBe(2);
    } finally {
      await inbox.close();
    }
    const orders = (await (await fetch(`${erp.url}/orders?opportunityId=${id}`)).json()) as
      unknown[] | { orders: unknown[] };
    expect(Array.isArray(orders) ? orders : orders.orders).toHaveLength(1);
    expect(emulator.counters.writesOf(id).updates).toBe(1);
  });
});
