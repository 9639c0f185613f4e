import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrderJson } from '../erp/index.ts';
import { InboxUnavailableError, openInbox, type Inbox, type StateCounts } from '../inbox/index.ts';
import { ChaosLoop, type RunProgress } from './chaos-loop.ts';
import { planChaos, planFaults, type ChaosPlan, type FaultSettings } from './chaos-plan.ts';
import type { ChaosDetails, ChaosReport } from './chaos-report.ts';
import { RELAY_ERP_TIMEOUT_MS, startChaosServices, type ChaosServices } from './chaos-services.ts';
import { callJson } from './json-api.ts';
import { RECORDS_PER_CALL, SalesforceDriver } from './salesforce-driver.ts';
import { scanLogsForSecrets } from './scan-logs.ts';
import { verifyOutcome, type ClosedOpportunity } from './verify-outcome.ts';
import { immutableFilesWork, planDisruptions } from './disruptions.ts';
import { ThrowawayPostgres } from './throwaway-postgres.ts';

export interface ChaosOptions {
  /** Opportunities to close. */
  readonly count: number;
  /** SIGKILLs of relay processes. */
  readonly kills: number;
  /** Fraction (0..1) of ERP order calls that fail. */
  readonly erpErrors: number;
  /** Fraction (0..1) of Salesforce API calls that fail. */
  readonly sfErrors: number;
  /** Inbox URL; default a fresh SQLite file in the run's temp folder. */
  readonly db?: string | undefined;
  readonly seed: number;
  /** Worker processes beside the one listener process. */
  readonly workers: number;
  /** Give up waiting for quiet after this long (the run then fails). */
  readonly deadlineMs: number;
  /** Keep the run's folder (logs, databases) even when it passed. */
  readonly keepLogs?: boolean;
  /** Seconds the ERP refuses every call, once, mid-run (0: none). */
  readonly erpOutageSeconds?: number;
  /**
   * Restarts of the database server mid-run. The run then keeps its inbox on a PostgreSQL
   * server of its own (initdb in the run's folder), never one that others share: so it cannot
   * be combined with `db`.
   */
  readonly dbRestarts?: number;
  /** Stretches in which the SQLite inbox files cannot be written (chattr +i); SQLite only. */
  readonly diskFaults?: number;
  readonly onProgress?: (progress: ChaosProgress) => void;
}

export interface ChaosProgress {
  readonly phase: 'starting' | 'seeding' | 'closing' | 'flowing' | 'verifying';
  readonly closed: number;
  readonly done: number;
  readonly total: number;
  readonly kills: number;
}

export interface ChaosResult {
  readonly report: ChaosReport;
  readonly details: ChaosDetails;
}

export class ChaosRunError extends Error {
  readonly code = 'CHAOS_RUN_FAILED';
}

/**
 * The guarantee, tested the hard way: the emulator, the ERP and the relay run as separate OS
 * processes; `count` Opportunities are closed while relay processes are SIGKILLed and
 * restarted, the ERP and the Salesforce API fail a fraction of calls, sessions expire and
 * every outbound message arrives twice and out of order. Then, once all is quiet, the ERP's
 * and the emulator's own records must show exactly one order per Opportunity, its number on
 * the record, nothing left but done, and no secret in any log.
 *
 * The run's folder (logs, databases) is removed when it passed, kept and named when not.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sf-relay-chaos-'));
  let result: ChaosResult;
  try {
    result = await runIn(dir, options);
  } catch (error) {
    throw new ChaosRunError(
      `${error instanceof Error ? error.message : String(error)} (seed ${options.seed}; logs kept in ${dir})`,
      { cause: error },
    );
  }
  if (result.report.ok && options.keepLogs !== true) {
    rmSync(dir, { recursive: true, force: true });
    return result;
  }
  return { ...result, details: { ...result.details, logDir: dir } };
}

async function runIn(dir: string, options: ChaosOptions): Promise<ChaosResult> {
  const started = performance.now();
  const dbRestarts = options.dbRestarts ?? 0;
  const diskFaults = options.diskFaults ?? 0;
  checkDisruptionOptions(options);
  let database: ThrowawayPostgres | undefined;
  if (dbRestarts > 0) database = await ThrowawayPostgres.create(dir);
  const sqliteFile = join(dir, 'relay.db');
  const db = database?.url ?? options.db ?? `sqlite:${sqliteFile}`;
  const plan = planChaos({
    seed: options.seed,
    kills: options.kills,
    processes: 1 + options.workers,
    erpOutageSeconds: options.erpOutageSeconds ?? 0,
    dbRestarts,
    diskFaults,
  });
  const progress: RunProgress = { closed: 0, done: 0, kills: 0 };
  const tell = (phase: ChaosProgress['phase']): void =>
    options.onProgress?.({ phase, ...progress, total: options.count });
  const problems: string[] = [];
  let services: ChaosServices | undefined;
  let inbox: Inbox | undefined;
  try {
    tell('starting');
    services = await startChaosServices({ dir, db, workers: options.workers });
    const live = services;
    // Promise.resolve: openInbox is synchronous for SQLite alone and async once PostgreSQL lands.
    const reader: Inbox = await openInbox(db);
    inbox = reader;
    // The emulator numbers its ids from the same start every run: notifications left from an
    // earlier run would be taken for duplicates and absorbed, and the verdict would be wrong.
    const before = sum(await reader.countByState());
    if (before > 0)
      throw new ChaosRunError(
        `the inbox at --db already holds ${before} notifications; a chaos run needs an empty one`,
      );
    let lastCounts: StateCounts | undefined;
    const readCounts = async (): Promise<StateCounts> => {
      try {
        lastCounts = await reader.countByState();
      } catch (error) {
        // The database server being restarted on purpose (--db-restarts): the last reading
        // stands until it is back. Anything else, or no reading yet, ends the run.
        if (!(error instanceof InboxUnavailableError) || lastCounts === undefined) throw error;
      }
      progress.done = lastCounts.done;
      return lastCounts;
    };
    const driver = new SalesforceDriver({
      url: live.emulator.url,
      clientId: live.clientId,
      clientSecret: live.clientSecret,
    });
    tell('seeding');
    const ids = await seedOpportunities(driver, options.count);

    const faults = await injectFaults(live, plan, options);
    const disruptions = planDisruptions(plan, {
      erpUrl: live.erp.url,
      erpErrorRate: faults.erp.errorRate,
      database,
      sqliteFiles: [sqliteFile, `${sqliteFile}-wal`],
    });
    const chaos = new ChaosLoop(live, plan, progress, options.count, readCounts, disruptions);
    const monitor = chaos.run(() => tell(progress.closed < options.count ? 'closing' : 'flowing'));
    try {
      for (let start = 0; start < ids.length; start += RECORDS_PER_CALL) {
        const batch = ids.slice(start, start + RECORDS_PER_CALL);
        await driver.update(
          'Opportunity',
          batch.map((Id) => ({ Id, StageName: 'Closed Won' })),
        );
        progress.closed += batch.length;
      }
      tell('flowing');
      if (!(await chaos.waitForQuiet(Date.now() + options.deadlineMs)))
        problems.push(`not quiet after ${Math.round(options.deadlineMs / 1000)} s (--deadline)`);
    } finally {
      chaos.stop();
      await monitor;
    }
    if (chaos.failure !== undefined) throw chaos.failure;

    tell('verifying');
    // Stop the relay first, so nothing moves while its work is checked.
    await Promise.all(live.relays.map((relay) => relay.close()));
    const emulatorUrl = live.emulator.url;
    const erpUrl = live.erp.url;
    const sfFaults = await callJson<{ injected: Record<string, number> }>(
      'GET',
      `${emulatorUrl}/emulator/faults`,
    );
    await callJson('DELETE', `${emulatorUrl}/emulator/faults`);
    const erpFaults = await callJson<{ injected: Record<string, number> }>(
      'GET',
      `${erpUrl}/erp/faults`,
    );
    await callJson('DELETE', `${erpUrl}/erp/faults`);
    const outbound = await callJson<{ queued: unknown[]; dropped: unknown[] }>(
      'GET',
      `${emulatorUrl}/emulator/outbound`,
    );
    const outcome = verifyOutcome({
      opportunities: await driver.query<ClosedOpportunity>(
        "SELECT Id, Order_Number__c FROM Opportunity WHERE StageName = 'Closed Won'",
      ),
      closed: progress.closed,
      orders: await allOrders(erpUrl),
      inbox: await readCounts(),
      emulatorQueued: outbound.queued.length,
      emulatorDropped: outbound.dropped.length,
    });
    problems.push(...outcome.problems);
    if (chaos.expiries === 0) problems.push('no Salesforce session was expired');
    if (progress.kills < options.kills)
      problems.push(`only ${progress.kills} of ${options.kills} kills happened`);
    for (const kind of ['erp outage', 'db restart', 'disk fault'] as const) {
      const planned = disruptions.filter((d) => d.kind === kind).length;
      const happened = chaos.disrupted.get(kind) ?? 0;
      if (happened < planned) problems.push(`only ${happened} of ${planned} ${kind}s happened`);
    }

    await reader.close();
    inbox = undefined;
    await live.close();
    services = undefined;
    // Only now are the log files complete.
    problems.push(...scanLogsForSecrets(logFiles(dir), [live.clientSecret]));

    const report: ChaosReport = {
      closed: progress.closed,
      orders: outcome.orders,
      callbacks: outcome.callbacks,
      lost: outcome.lost,
      doubled: outcome.doubled,
      kills: progress.kills,
      erpFaults: sum(erpFaults.injected),
      sfFaults: sum(sfFaults.injected),
      seconds: Math.round((performance.now() - started) / 100) / 10,
      ok: problems.length === 0 && outcome.lost === 0 && outcome.doubled === 0,
    };
    return {
      report,
      details: {
        seed: options.seed,
        db,
        sessionExpiries: chaos.expiries,
        erpOutages: chaos.disrupted.get('erp outage') ?? 0,
        dbRestarts: chaos.disrupted.get('db restart') ?? 0,
        diskFaults: chaos.disrupted.get('disk fault') ?? 0,
        problems,
        logDir: undefined,
      },
    };
  } finally {
    await inbox?.close();
    await services?.close();
    await database?.stop();
  }
}

function checkDisruptionOptions(options: ChaosOptions): void {
  if ((options.dbRestarts ?? 0) > 0 && options.db !== undefined) {
    throw new ChaosRunError(
      "--db-restarts restarts a PostgreSQL server of the run's own, never one others share; leave out --db",
    );
  }
  const sqlite = (options.dbRestarts ?? 0) === 0 && (options.db ?? 'sqlite:').startsWith('sqlite:');
  if ((options.diskFaults ?? 0) > 0 && !sqlite) {
    throw new ChaosRunError(
      '--disk-faults makes the SQLite inbox unwritable; it needs the SQLite inbox (no --db, no --db-restarts)',
    );
  }
  if ((options.diskFaults ?? 0) > 0 && !immutableFilesWork()) {
    throw new ChaosRunError(
      '--disk-faults needs `chattr +i` (root, and a file system with the immutable flag, such as ext4)',
    );
  }
}

/** One account, one product in a price book, and `count` open Opportunities with a line each. */
async function seedOpportunities(driver: SalesforceDriver, count: number): Promise<string[]> {
  const [productId = ''] = await driver.create('Product2', [
    { Name: 'Fibre 1 Gbps', ProductCode: 'FIB-1G', IsActive: true },
  ]);
  const [pricebookId = ''] = await driver.create('Pricebook2', [
    { Name: 'Standard', IsActive: true },
  ]);
  const [entryId = ''] = await driver.create('PricebookEntry', [
    { Pricebook2Id: pricebookId, Product2Id: productId, UnitPrice: 49.5, IsActive: true },
  ]);
  const [accountId = ''] = await driver.create('Account', [{ Name: 'Chaos Telecom' }]);
  const ids = await driver.create(
    'Opportunity',
    Array.from({ length: count }, (_, i) => ({
      Name: `Chaos deal ${i + 1}`,
      AccountId: accountId,
      Pricebook2Id: pricebookId,
      StageName: 'Negotiation/Review',
      CloseDate: '2026-12-15',
    })),
  );
  await driver.create(
    'OpportunityLineItem',
    ids.map((id, i) => ({ OpportunityId: id, PricebookEntryId: entryId, Quantity: 1 + (i % 3) })),
  );
  return ids;
}

async function injectFaults(
  services: ChaosServices,
  plan: ChaosPlan,
  options: ChaosOptions,
): Promise<FaultSettings> {
  const faults = planFaults(plan, {
    erp: options.erpErrors,
    salesforce: options.sfErrors,
    erpTimeoutMs: RELAY_ERP_TIMEOUT_MS,
  });
  await callJson('PUT', `${services.erp.url}/erp/faults`, faults.erp);
  await callJson('PUT', `${services.emulator.url}/emulator/faults/rate`, faults.salesforce);
  // Salesforce delivers at least once and in no particular order: make both happen always.
  await callJson('PUT', `${services.emulator.url}/emulator/faults/delivery`, {
    duplicate: true,
    shuffle: true,
  });
  return faults;
}

/** Every order in the ERP, page by page. */
async function allOrders(erpUrl: string): Promise<OrderJson[]> {
  const orders: OrderJson[] = [];
  const limit = 10_000;
  for (;;) {
    const page = await callJson<{ orders: OrderJson[] }>(
      'GET',
      `${erpUrl}/orders?limit=${limit}&offset=${orders.length}`,
    );
    orders.push(...page.orders);
    if (page.orders.length < limit) return orders;
  }
}

function logFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.log'))
    .map((name) => join(dir, name));
}

function sum(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((total, n) => total + n, 0);
}
