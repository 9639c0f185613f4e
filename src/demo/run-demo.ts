import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../emulator/index.ts';
import { startErp, type RunningErp } from '../erp-service/index.ts';
import type { Logger } from '../shared/index.ts';
import { startRelay, type RunningRelay } from '../relay/index.ts';
import { withPortHint } from '../process/index.ts';
import {
  closeOpportunities,
  demoEmulatorConfig,
  demoRelayConfig,
  seedOpportunities,
} from './demo-org.ts';
import { percentiles } from './percentiles.ts';

export interface DemoOptions {
  readonly count: number;
  /** Relay port (0 = any free one). */
  readonly port: number;
  /** Inbox URL; default a fresh SQLite file in a temp folder. */
  readonly db?: string;
  readonly deadlineMs: number;
  readonly logger: Logger;
  /**
   * Close the Opportunities evenly spaced at this rate instead of all at once (the benchmark's
   * end-to-end scenario). Default: all at once.
   */
  readonly closesPerSecond?: number;
  /** Deliver every outbound message twice, to show the dedupe. Default true. */
  readonly duplicateDeliveries?: boolean;
  /** Called about every 200 ms with the pipeline's progress. */
  readonly onProgress?: (progress: DemoProgress) => void;
}

export interface DemoProgress {
  readonly closed: number;
  readonly acked: number;
  readonly ordered: number;
  readonly calledBack: number;
  readonly total: number;
}

/** The demo's report; the JSON form has exactly these keys. */
export interface DemoReport {
  readonly closed: number;
  readonly notifications: number;
  readonly duplicates: number;
  readonly orders: number;
  readonly callbacks: number;
  readonly lost: number;
  readonly e2eMs: { readonly p50: number; readonly p95: number; readonly p99: number };
  readonly ok: boolean;
}

export interface RunningDemo {
  readonly report: DemoReport;
  readonly urls: { readonly relay: string; readonly emulator: string; readonly erp: string };
  /** A session of the emulator's user, for curl and jsforce while the demo keeps running. */
  readonly accessToken: string;
  /** The inbox URL, what `sf-relay messages --db` takes. */
  readonly db: string;
  /** Close → order-number latency of each Opportunity in the order they were closed; null if it never came. */
  readonly latenciesInCloseOrderMs: readonly (number | null)[];
  /** Salesforce API requests the emulated org has answered so far (OAuth token requests excluded). */
  apiRequests(): number;
  /** Stops the emulator, the relay and the ERP and removes the temp folder. */
  stop(): Promise<void>;
}

/**
 * The whole fire-and-forget loop on loopback: the emulator closes `count` Opportunities, the
 * relay stores the outbound messages (each delivered twice, to show the dedupe), the worker
 * orders them in the ERP and writes the order numbers back. Nothing is mocked.
 */
export async function runDemo(options: DemoOptions): Promise<RunningDemo> {
  const dir = mkdtempSync(join(tmpdir(), 'sf-relay-demo-'));
  const logger = options.logger;
  let emulator: RunningEmulator | undefined;
  let relay: RunningRelay | undefined;
  let erp: RunningErp | undefined;
  const stop = async (): Promise<void> => {
    await emulator?.close();
    await relay?.close();
    await erp?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    erp = await startErp({ port: 0, dbPath: join(dir, 'erp.db'), logger });
    emulator = await startEmulator({ logger, config: demoEmulatorConfig() });
    let notifications = 0;
    let duplicates = 0;
    const db = options.db ?? `sqlite:${join(dir, 'relay.db')}`;
    const relayConfig = demoRelayConfig({
      port: options.port,
      db,
      emulatorUrl: emulator.url,
      organizationId: emulator.organizationId,
      erpUrl: erp.url,
    });
    relay = await withPortHint(
      { service: 'the relay', host: relayConfig.host, port: options.port, choose: '--port N' },
      () =>
        startRelay(relayConfig, logger, {
          onStored: (result) => {
            notifications += result.received;
            duplicates += result.duplicates;
          },
        }),
    );
    // Salesforce delivers at least once; make every message arrive twice to show the dedupe.
    emulator.faults.duplicateDeliveries = options.duplicateDeliveries ?? true;

    const { store } = emulator;
    const ids = seedOpportunities(emulator, options.count);
    const closing = closeOpportunities(
      emulator,
      ids,
      `${relay.url}/soap/outbound`,
      options.closesPerSecond,
    );
    await closing.closed;

    const numberOf = (id: string): unknown => store.get(id)?.values.get('Order_Number__c') ?? null;
    const deadline = Date.now() + options.deadlineMs;
    for (;;) {
      const calledBack = ids.filter((id) => numberOf(id) !== null).length;
      const counts = await relay.inbox.countByState();
      const acked =
        counts.received + counts.processing + counts.retry_wait + counts.done + counts.dead;
      options.onProgress?.({
        closed: ids.length,
        acked,
        ordered: erp.orders().length,
        calledBack,
        total: ids.length,
      });
      if (calledBack === ids.length || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    closing.stop();
    const latencies = closing.latenciesInCloseOrderMs();
    let lost = 0;
    let orders = 0;
    for (const id of ids) {
      const placed = erp.orders({ opportunityId: id });
      orders += placed.length;
      const number = numberOf(id);
      if (placed.length !== 1 || number === null || placed[0]?.orderNumber !== number) lost++;
    }
    const report: DemoReport = {
      closed: ids.length,
      notifications,
      duplicates,
      orders,
      callbacks: closing.callbacks(),
      lost,
      e2eMs: percentiles(latencies.filter((ms): ms is number => ms !== null)),
      ok: lost === 0 && orders === ids.length && closing.callbacks() === ids.length,
    };
    return {
      report,
      urls: { relay: relay.url, emulator: emulator.url, erp: erp.url },
      accessToken: emulator.accessToken,
      db,
      latenciesInCloseOrderMs: latencies,
      apiRequests: () => emulator?.counters.apiRequests() ?? 0,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
