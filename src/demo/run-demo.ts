import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { relayConfigSchema } from '../config/index.ts';
import { seedCatalogue, startEmulator, type RunningEmulator } from '../emulator/index.ts';
import { startErp, type RunningErp } from '../erp/index.ts';
import type { Logger } from '../logger.ts';
import { startRelay, type RunningRelay } from '../relay/index.ts';
import { withPortHint } from '../process/listen-error.ts';
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

const CLIENT_ID = 'sf-relay-demo';
const CLIENT_SECRET = 'sf-relay-demo-secret';
const USER = 'integration@sf-relay.example';

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
    emulator = await startEmulator({
      logger,
      config: {
        port: 0,
        // The Salesforce side as salesforce-metadata/ deploys it: the integration user holds
        // only the SF_Relay_Integration permission set, in an org whose Opportunities are
        // private, and the relay calls back through the SF_Relay external client app.
        users: [
          { username: USER, password: 'demo-password', permissionSets: ['SF_Relay_Integration'] },
        ],
        connectedApps: [],
        externalClientApps: [
          { name: 'SF_Relay', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
        ],
        // The relay's URL is known once it listens; the definition is repointed below.
        outboundMessages: [
          { name: 'Opportunity_Closed_Won', endpointUrl: 'http://127.0.0.1:9/not-yet' },
        ],
        delivery: { pollMs: 50, timeoutSeconds: 60, maxConcurrent: 4 },
      },
    });
    let notifications = 0;
    let duplicates = 0;
    const db = options.db ?? `sqlite:${join(dir, 'relay.db')}`;
    const relayConfig = relayConfigSchema.parse({
      port: options.port,
      db,
      role: 'all',
      logLevel: 'warn',
      // A demo on 127.0.0.1 for the person running it: the dashboard needs no login.
      dashboard: { open: true },
      allowedOrganizationIds: [emulator.organizationId],
      salesforce: {
        oauth: {
          flow: 'client_credentials',
          loginUrl: emulator.url,
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
        },
      },
      erp: { url: erp.url },
      worker: {
        concurrency: 8,
        pollMs: 100,
        leaseSeconds: 60,
        backoffInitialMs: 200,
        backoffMaxMs: 5000,
      },
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
    emulator.definitions.setEndpoint('Opportunity_Closed_Won', `${relay.url}/soap/outbound`);
    // Salesforce delivers at least once; make every message arrive twice to show the dedupe.
    emulator.faults.duplicateDeliveries = options.duplicateDeliveries ?? true;

    const { store } = emulator;
    const { pricebookId, entryId } = seedCatalogue(store);
    const ids: string[] = [];
    for (let i = 0; i < options.count; i++) {
      const accountId = store.create('Account', { Name: `Customer ${i + 1}` }, null);
      const id = store.create(
        'Opportunity',
        {
          Name: `Fibre for customer ${i + 1}`,
          AccountId: accountId,
          Pricebook2Id: pricebookId,
          StageName: 'Negotiation/Review',
          CloseDate: '2026-12-15',
        },
        null,
      );
      store.create(
        'OpportunityLineItem',
        { OpportunityId: id, PricebookEntryId: entryId, Quantity: 1 + (i % 3) },
        null,
      );
      ids.push(id);
    }

    const closedAt = new Map<string, number>();
    const latencyById = new Map<string, number>();
    let callbacks = 0;
    store.onChange((change) => {
      const before = change.before?.values.get('Order_Number__c') ?? null;
      const after = change.after.values.get('Order_Number__c') ?? null;
      if (change.kind !== 'update' || after === null || before === after) return;
      callbacks++;
      const started = closedAt.get(change.after.id);
      if (started !== undefined && before === null)
        latencyById.set(change.after.id, performance.now() - started);
    });
    const closingStarted = performance.now();
    for (const [index, id] of ids.entries()) {
      if (options.closesPerSecond !== undefined) {
        const wait = closingStarted + (index * 1000) / options.closesPerSecond - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      closedAt.set(id, performance.now());
      store.update('Opportunity', id, { StageName: 'Closed Won' }, null);
    }

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
      callbacks,
      lost,
      e2eMs: percentiles([...latencyById.values()]),
      ok: lost === 0 && orders === ids.length && callbacks === ids.length,
    };
    return {
      report,
      urls: { relay: relay.url, emulator: emulator.url, erp: erp.url },
      accessToken: emulator.accessToken,
      db,
      latenciesInCloseOrderMs: ids.map((id) => latencyById.get(id) ?? null),
      apiRequests: () => emulator?.counters.apiRequests() ?? 0,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
