import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../emulator/index.ts';
import { startErp, type RunningErp } from '../erp-service/index.ts';
import { StartedParts, startOrUndo, type Logger } from '../shared/index.ts';
import { startRelay, type RunningRelay } from '../relay/index.ts';
import { withPortHint } from '../process/index.ts';
import {
  closeOpportunities,
  demoEmulatorConfig,
  demoRelayConfig,
  seedOpportunities,
} from './demo-org.ts';
import { percentiles } from './percentiles.ts';

type ClosingRun = ReturnType<typeof closeOpportunities>;

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
 *
 * start → drive → verify → report; the parts keep running for the caller (curl, jsforce) until
 * `stop()`, unless a step fails: then the `finally` stops them and the error is passed on.
 */
export async function runDemo(options: DemoOptions): Promise<RunningDemo> {
  const dir = mkdtempSync(join(tmpdir(), 'sf-relay-demo-'));
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true });
  let stop: () => Promise<void> = async () => removeDir();
  let handedOver = false;
  try {
    const db = options.db ?? `sqlite:${join(dir, 'relay.db')}`;
    const parts = await startDemoParts(options, dir, db);
    stop = async () => {
      try {
        await parts.started.stopAll();
      } finally {
        removeDir();
      }
    };
    const closing = await driveDemo(parts, options);
    const report = verifyDemo(parts, closing);
    handedOver = true;
    return {
      report,
      urls: { relay: parts.relay.url, emulator: parts.emulator.url, erp: parts.erp.url },
      accessToken: parts.emulator.accessToken,
      db,
      latenciesInCloseOrderMs: closing.run.latenciesInCloseOrderMs(),
      apiRequests: () => parts.emulator.counters.apiRequests(),
      stop,
    };
  } finally {
    if (!handedOver) await stop();
  }
}

/** What the demo started, and the relay's tally of what it stored. */
interface DemoParts {
  readonly erp: RunningErp;
  readonly emulator: RunningEmulator;
  readonly relay: RunningRelay;
  /** Stops the emulator, the relay and the ERP in that order, each even when one fails. */
  readonly started: StartedParts;
  readonly stored: { notifications: number; duplicates: number };
}

/** The ERP, the emulator and the relay; if one fails to start, those already started are stopped. */
async function startDemoParts(options: DemoOptions, dir: string, db: string): Promise<DemoParts> {
  const { logger } = options;
  return startOrUndo(
    async (undo) => {
      const erp = await startErp({ port: 0, dbPath: join(dir, 'erp.db'), logger });
      undo.started(() => erp.close());
      const emulator = await startEmulator({ logger, config: demoEmulatorConfig() });
      undo.started(() => emulator.close());
      const stored = { notifications: 0, duplicates: 0 };
      const relay = await startDemoRelay(options, db, emulator, erp, stored);
      // Stopped newest first: the emulator stops delivering, then the relay, then the ERP.
      const started = new StartedParts();
      started.started(() => erp.close());
      started.started(() => relay.close());
      started.started(() => emulator.close());
      return { erp, emulator, relay, started, stored };
    },
    (error) => logger.warn({ err: error }, 'a demo part would not stop after a failed start'),
  );
}

function startDemoRelay(
  options: DemoOptions,
  db: string,
  emulator: RunningEmulator,
  erp: RunningErp,
  stored: DemoParts['stored'],
): Promise<RunningRelay> {
  const relayConfig = demoRelayConfig({
    port: options.port,
    db,
    emulatorUrl: emulator.url,
    organizationId: emulator.organizationId,
    erpUrl: erp.url,
  });
  return withPortHint(
    { service: 'the relay', host: relayConfig.host, port: options.port, choose: '--port N' },
    () =>
      startRelay(relayConfig, options.logger, {
        onStored: (result) => {
          stored.notifications += result.received;
          stored.duplicates += result.duplicates;
        },
      }),
  );
}

/** Seeds and closes the Opportunities, then waits (to the deadline) for every order number. */
async function driveDemo(
  parts: DemoParts,
  options: DemoOptions,
): Promise<{ readonly ids: readonly string[]; readonly run: ClosingRun }> {
  const { emulator, relay, erp } = parts;
  // Salesforce delivers at least once; make every message arrive twice to show the dedupe.
  emulator.faults.duplicateDeliveries = options.duplicateDeliveries ?? true;
  const ids = seedOpportunities(emulator, options.count);
  const run = closeOpportunities(
    emulator,
    ids,
    `${relay.url}/soap/outbound`,
    options.closesPerSecond,
  );
  try {
    await run.closed;
    const deadline = Date.now() + options.deadlineMs;
    for (;;) {
      const calledBack = ids.filter((id) => orderNumberOf(emulator, id) !== null).length;
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
  } finally {
    run.stop();
  }
  return { ids, run };
}

/** Exactly one order per Opportunity, its number on the record, and a callback for each. */
function verifyDemo(
  parts: DemoParts,
  closing: { readonly ids: readonly string[]; readonly run: ClosingRun },
): DemoReport {
  const { ids, run } = closing;
  let lost = 0;
  let orders = 0;
  for (const id of ids) {
    const placed = parts.erp.orders({ opportunityId: id });
    orders += placed.length;
    const number = orderNumberOf(parts.emulator, id);
    if (placed.length !== 1 || number === null || placed[0]?.orderNumber !== number) lost++;
  }
  const latencies = run.latenciesInCloseOrderMs();
  return {
    closed: ids.length,
    notifications: parts.stored.notifications,
    duplicates: parts.stored.duplicates,
    orders,
    callbacks: run.callbacks(),
    lost,
    e2eMs: percentiles(latencies.filter((ms): ms is number => ms !== null)),
    ok: lost === 0 && orders === ids.length && run.callbacks() === ids.length,
  };
}

function orderNumberOf(emulator: RunningEmulator, id: string): unknown {
  return emulator.store.get(id)?.values.get('Order_Number__c') ?? null;
}
