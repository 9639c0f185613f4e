import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StartedParts } from '../shared/index.ts';
import type { OrderJson } from '../erp/index.ts';
import { InboxUnavailableError, openInbox, type Inbox, type StateCounts } from '../inbox/index.ts';
import { ChaosLoop, type Disruption, type RunProgress } from './chaos-loop.ts';
import { planChaos, planFaults, type ChaosPlan, type FaultSettings } from './chaos-plan.ts';
import type { ChaosDetails, ChaosReport } from './chaos-report.ts';
import { RELAY_ERP_TIMEOUT_MS, startChaosServices, type ChaosServices } from './chaos-services.ts';
import { callJson } from './json-api.ts';
import { RECORDS_PER_CALL, SalesforceDriver } from './salesforce-driver.ts';
import { scanLogsForSecrets } from './scan-logs.ts';
import { verifyOutcome, type ClosedOpportunity, type Outcome } from './verify-outcome.ts';
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

/** start → drive → verify → report; whatever was started is stopped in the `finally`. */
async function runIn(dir: string, options: ChaosOptions): Promise<ChaosResult> {
  const started = performance.now();
  checkDisruptionOptions(options);
  const parts = new StartedParts();
  try {
    const run = await startChaosRun(dir, options, parts);
    const driven = await driveChaos(run);
    const verified = await verifyChaos(run, driven);
    // Only once every process has stopped are the log files complete.
    await parts.stopAll();
    const problems = [
      ...verified.problems,
      ...scanLogsForSecrets(logFiles(dir), [run.services.clientSecret]),
    ];
    return reportChaos(run, driven.chaos, { ...verified, problems }, started);
  } finally {
    // Stops the reader, the processes and the database server, each even when one fails.
    await parts.stopAll();
  }
}

/** What a started run holds: its processes, its own reader of the inbox, and its plan. */
interface ChaosRun {
  readonly options: ChaosOptions;
  readonly db: string;
  readonly sqliteFile: string;
  readonly database: ThrowawayPostgres | undefined;
  readonly plan: ChaosPlan;
  readonly progress: RunProgress;
  readonly tell: (phase: ChaosProgress['phase']) => void;
  readonly services: ChaosServices;
  readonly driver: SalesforceDriver;
  /** The inbox's counts; the last reading stands while the database server restarts on purpose. */
  readonly readCounts: () => Promise<StateCounts>;
}

/** Starts the database (for --db-restarts), the processes and a reader, each registered in `parts`. */
async function startChaosRun(
  dir: string,
  options: ChaosOptions,
  parts: StartedParts,
): Promise<ChaosRun> {
  const dbRestarts = options.dbRestarts ?? 0;
  const database = dbRestarts > 0 ? await ThrowawayPostgres.create(dir) : undefined;
  if (database !== undefined) parts.started(() => database.stop());
  const sqliteFile = join(dir, 'relay.db');
  const db = database?.url ?? options.db ?? `sqlite:${sqliteFile}`;
  const plan = planChaos({
    seed: options.seed,
    kills: options.kills,
    processes: 1 + options.workers,
    erpOutageSeconds: options.erpOutageSeconds ?? 0,
    dbRestarts,
    diskFaults: options.diskFaults ?? 0,
  });
  const progress: RunProgress = { closed: 0, done: 0, kills: 0 };
  const tell = (phase: ChaosProgress['phase']): void =>
    options.onProgress?.({ phase, ...progress, total: options.count });
  tell('starting');
  const services = await startChaosServices({ dir, db, workers: options.workers });
  parts.started(() => services.close());
  const reader: Inbox = await openInbox(db);
  parts.started(() => reader.close());
  // The emulator numbers its ids from the same start every run: notifications left from an
  // earlier run would be taken for duplicates and absorbed, and the verdict would be wrong.
  const before = sum(await reader.countByState());
  if (before > 0)
    throw new ChaosRunError(
      `the inbox at --db already holds ${before} notifications; a chaos run needs an empty one`,
    );
  const driver = new SalesforceDriver({
    url: services.emulator.url,
    clientId: services.clientId,
    clientSecret: services.clientSecret,
  });
  const readCounts = countReader(reader, progress);
  return { options, db, sqliteFile, database, plan, progress, tell, services, driver, readCounts };
}

function countReader(reader: Inbox, progress: RunProgress): () => Promise<StateCounts> {
  let lastCounts: StateCounts | undefined;
  return async () => {
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
}

interface DrivenChaos {
  readonly chaos: ChaosLoop;
  readonly disruptions: readonly Disruption[];
  readonly problems: readonly string[];
}

/** Seeds, injects the faults, closes every Opportunity under the chaos loop, and waits for quiet. */
async function driveChaos(run: ChaosRun): Promise<DrivenChaos> {
  const { options, services, progress, tell } = run;
  tell('seeding');
  const ids = await seedOpportunities(run.driver, options.count);
  const faults = await injectFaults(services, run.plan, options);
  const disruptions = planDisruptions(run.plan, {
    erpUrl: services.erp.url,
    erpErrorRate: faults.erp.errorRate,
    database: run.database,
    sqliteFiles: [run.sqliteFile, `${run.sqliteFile}-wal`],
  });
  const chaos = new ChaosLoop(
    services,
    run.plan,
    progress,
    options.count,
    run.readCounts,
    disruptions,
  );
  const monitor = chaos.run(() => tell(progress.closed < options.count ? 'closing' : 'flowing'));
  const problems: string[] = [];
  try {
    await closeWon(run.driver, ids, progress);
    tell('flowing');
    if (!(await chaos.waitForQuiet(Date.now() + options.deadlineMs)))
      problems.push(`not quiet after ${Math.round(options.deadlineMs / 1000)} s (--deadline)`);
  } finally {
    chaos.stop();
    await monitor;
  }
  if (chaos.failure !== undefined) throw chaos.failure;
  return { chaos, disruptions, problems };
}

async function closeWon(
  driver: SalesforceDriver,
  ids: readonly string[],
  progress: RunProgress,
): Promise<void> {
  for (let start = 0; start < ids.length; start += RECORDS_PER_CALL) {
    const batch = ids.slice(start, start + RECORDS_PER_CALL);
    await driver.update(
      'Opportunity',
      batch.map((Id) => ({ Id, StageName: 'Closed Won' })),
    );
    progress.closed += batch.length;
  }
}

interface VerifiedChaos {
  readonly outcome: Outcome;
  readonly problems: readonly string[];
  readonly erpFaults: number;
  readonly sfFaults: number;
}

/** With the relay stopped, reads the ERP's and the emulator's own records and checks them. */
async function verifyChaos(run: ChaosRun, driven: DrivenChaos): Promise<VerifiedChaos> {
  const { services, progress, options } = run;
  run.tell('verifying');
  // Stop the relay first, so nothing moves while its work is checked.
  await Promise.all(services.relays.map((relay) => relay.close()));
  const injected = await clearInjectedFaults(services.emulator.url, services.erp.url);
  const outbound = await callJson<{ queued: unknown[]; dropped: unknown[] }>(
    'GET',
    `${services.emulator.url}/emulator/outbound`,
  );
  const outcome = verifyOutcome({
    opportunities: await run.driver.query<ClosedOpportunity>(
      "SELECT Id, Order_Number__c FROM Opportunity WHERE StageName = 'Closed Won'",
    ),
    closed: progress.closed,
    orders: await allOrders(services.erp.url),
    inbox: await run.readCounts(),
    emulatorQueued: outbound.queued.length,
    emulatorDropped: outbound.dropped.length,
  });
  const problems = [
    ...driven.problems,
    ...outcome.problems,
    ...missedDisruptions(driven, progress, options),
  ];
  return { outcome, problems, ...injected };
}

/** How many faults each side injected, read and then switched off. */
async function clearInjectedFaults(
  emulatorUrl: string,
  erpUrl: string,
): Promise<{ readonly sfFaults: number; readonly erpFaults: number }> {
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
  return { sfFaults: sum(sfFaults.injected), erpFaults: sum(erpFaults.injected) };
}

/** A run whose planned disruptions did not all happen proves less than it claims. */
function missedDisruptions(
  driven: DrivenChaos,
  progress: RunProgress,
  options: ChaosOptions,
): string[] {
  const problems: string[] = [];
  const { chaos, disruptions } = driven;
  if (chaos.expiries === 0) problems.push('no Salesforce session was expired');
  if (progress.kills < options.kills)
    problems.push(`only ${progress.kills} of ${options.kills} kills happened`);
  for (const kind of ['erp outage', 'db restart', 'disk fault'] as const) {
    const planned = disruptions.filter((d) => d.kind === kind).length;
    const happened = chaos.disrupted.get(kind) ?? 0;
    if (happened < planned) problems.push(`only ${happened} of ${planned} ${kind}s happened`);
  }
  return problems;
}

function reportChaos(
  run: ChaosRun,
  chaos: ChaosLoop,
  verified: VerifiedChaos,
  started: number,
): ChaosResult {
  const { outcome, problems } = verified;
  const report: ChaosReport = {
    closed: run.progress.closed,
    orders: outcome.orders,
    callbacks: outcome.callbacks,
    lost: outcome.lost,
    doubled: outcome.doubled,
    kills: run.progress.kills,
    erpFaults: verified.erpFaults,
    sfFaults: verified.sfFaults,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    ok: problems.length === 0 && outcome.lost === 0 && outcome.doubled === 0,
  };
  return {
    report,
    details: {
      seed: run.options.seed,
      db: run.db,
      sessionExpiries: chaos.expiries,
      erpOutages: chaos.disrupted.get('erp outage') ?? 0,
      dbRestarts: chaos.disrupted.get('db restart') ?? 0,
      diskFaults: chaos.disrupted.get('disk fault') ?? 0,
      problems: [...problems],
      logDir: undefined,
    },
  };
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
