import { afterAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/index.ts';
import { startErp, type RunningErp } from '../../src/erp-service/index.ts';
import { migrateInbox, openInbox } from '../../src/inbox/index.ts';
import { createLogger } from '../../src/shared/index.ts';
import { seedCatalogue, startTestEmulator } from '../support/emulator.ts';
import { CLIENT_SECRET, writeRelayConfigFile } from '../support/loop.ts';
import { postgresForTests, testSchema, type TestSchema } from '../support/postgres.ts';
import { killRelay, spawnRelay, type RelayProcess } from '../support/relay-process.ts';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/round-robin-proxy.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';
import { waitFor } from '../support/wait-for.ts';

const CLOSINGS = 2000;
const WAVES = 20;
const TOKEN_SHAPE = /00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{20,}/;

const postgres = await postgresForTests();

describe.skipIf(!postgres.available)('scaling out on one PostgreSQL database', () => {
  let dir: TempDir | undefined;
  let schema: TestSchema | undefined;
  let emulator: RunningEmulator | undefined;
  let erp: RunningErp | undefined;
  let proxy: RoundRobinProxy | undefined;
  const processes: RelayProcess[] = [];

  afterAll(async () => {
    for (const child of processes) await killRelay(child);
    await proxy?.close();
    await emulator?.close();
    await erp?.close();
    await schema?.drop();
    dir?.remove();
  });

  it(`2 listeners and 3 workers, ${CLOSINGS} closings each delivered twice, a worker killed and a listener restarted: one order and one callback each`, async () => {
    if (!postgres.available) return;
    const started = Date.now();
    dir = makeTempDir('sf-relay-scale-');
    schema = testSchema(postgres.url);
    // The deployment step operators run once; every process below starts with --no-migrate.
    await migrateInbox(schema.url);
    erp = await startErp({ port: 0, dbPath: dir.file('erp.db'), logger: createLogger('silent') });
    emulator = await startTestEmulator({
      delivery: { pollMs: 20, timeoutSeconds: 30, maxConcurrent: 4 },
      retry: { initialDelaySeconds: 1, maxDelaySeconds: 5 },
    });
    const config = writeRelayConfigFile(
      dir.file('relay.json'),
      { emulator, erpUrl: erp.url, db: schema.url },
      {
        logLevel: 'info',
        erp: { url: erp.url, timeoutMs: 10_000 },
        // A long poll: idle workers must be woken by LISTEN/NOTIFY, not find work by polling.
        worker: {
          concurrency: 8,
          leaseSeconds: 3,
          pollMs: 2000,
          backoffInitialMs: 50,
          backoffMaxMs: 500,
        },
      },
    );
    const start = (role: string, extra: string[] = []): Promise<RelayProcess> =>
      spawnRelay(['--config', config, '--role', role, '--no-migrate', ...extra]).then((p) => {
        processes.push(p);
        return p;
      });
    const listeners = [await start('listener'), await start('listener')];
    const workers = [await start('worker'), await start('worker'), await start('worker')];
    const upstreams = listeners.map((l) => l.url);
    proxy = await startRoundRobinProxy(upstreams);
    emulator.definitions.setEndpoint('Opportunity_Closed_Won', `${proxy.url}/soap/outbound`);
    emulator.faults.duplicateDeliveries = true;

    const { accountId } = seedCatalogue(emulator);
    const ids: string[] = [];
    const inbox = await openInbox(schema.url, { readonly: true });
    let answeredBeforeRestart = 0;
    try {
      for (let wave = 0; wave < WAVES; wave += 1) {
        for (let n = 0; n < CLOSINGS / WAVES; n += 1) {
          ids.push(
            emulator.store.create(
              'Opportunity',
              {
                Name: `Scale ${wave}-${n}`,
                AccountId: accountId,
                StageName: 'Closed Won',
                CloseDate: '2026-12-15',
              },
              null,
            ),
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 150));
        if (wave === 5) {
          // A worker dies mid-run; its leases expire and the others take its work over.
          await waitFor(async () => (await inbox.countByState()).processing > 0, 'work in flight');
          workers[0]?.child.kill('SIGKILL');
          expect(await workers[0]?.exited).toBe('SIGKILL');
        }
        if (wave === 10) {
          // A listener dies and comes back on the same port; the balancer routes around it.
          const victim = listeners[1];
          if (victim === undefined) throw new Error('no second listener');
          victim.child.kill('SIGKILL');
          await victim.exited;
          answeredBeforeRestart = proxy.answered.get(victim.url) ?? 0;
          const port = new URL(victim.url).port;
          listeners[1] = await start('listener', ['--port', port]);
        }
      }

      await waitFor(
        () => (erp?.orders().length ?? 0) >= CLOSINGS,
        `${CLOSINGS} ERP orders`,
        240_000,
      );
      await waitFor(
        async () => (await inbox.countByState()).done === CLOSINGS,
        'every notification done',
        60_000,
      );
      const seconds = (Date.now() - started) / 1000;
      const orders = erp.orders();

      // Exactly one order per Opportunity, and its number on the record, written once.
      expect(orders).toHaveLength(CLOSINGS);
      const byOpportunity = new Map(orders.map((o) => [o.opportunityId.slice(0, 15), o]));
      expect(byOpportunity.size).toBe(CLOSINGS);
      const missing = ids.filter((id) => {
        const order = byOpportunity.get(id.slice(0, 15));
        return (
          order === undefined ||
          emulator?.store.get(id)?.values.get('Order_Number__c') !== order.orderNumber
        );
      });
      expect(missing).toEqual([]);
      const updates = ids.map((id) => emulator?.counters.writesOf(id).updates ?? 0);
      expect(updates.filter((u) => u !== 1)).toEqual([]);

      const counts = await inbox.countByState();
      expect(counts).toEqual({
        received: 0,
        processing: 0,
        retry_wait: 0,
        done: CLOSINGS,
        dead: 0,
        held: 0,
      });
      // Both listeners took traffic, and the restarted one took more after coming back.
      for (const url of upstreams) expect(proxy.answered.get(url) ?? 0).toBeGreaterThan(0);
      expect(answeredBeforeRestart).toBeGreaterThan(0);
      expect(proxy.answered.get(upstreams[1] ?? '') ?? 0).toBeGreaterThan(answeredBeforeRestart);
      const logs = processes.map((p) => p.output()).join('');
      expect(logs).not.toContain(CLIENT_SECRET);
      expect(TOKEN_SHAPE.exec(logs)).toBeNull();
      process.stdout.write(
        `scale-out: ${CLOSINGS} closings, ${orders.length} orders in ${seconds.toFixed(1)} s ` +
          `(${(CLOSINGS / seconds).toFixed(0)}/s end to end, 2 listeners, 3 workers, 1 killed, 1 restarted)\n`,
      );
    } finally {
      await inbox.close();
    }
  }, 300_000);
});
