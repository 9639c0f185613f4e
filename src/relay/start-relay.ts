import { ConfigError, type RelayConfig } from '../config/index.ts';
import { systemClock, type Clock, type Logger } from '../shared/index.ts';
import type { ErpPort } from '../erp/index.ts';
import { openInbox, type Inbox, type StoreResult } from '../inbox/index.ts';
import {
  buildRelayServer,
  describeSenderChecks,
  loadWsdl,
  unguardedEndpointProblem,
} from '../listener/index.ts';
import { isLoopbackHost } from '../network/index.ts';
import type { SalesforceClient } from '../salesforce/index.ts';
import type { Worker } from '../worker/index.ts';
import { RelayMetrics } from './relay-metrics.ts';
import type { RelayWorker } from './relay-worker.ts';
import {
  dashboardGuard,
  dashboardRoutes,
  hasCredentials,
  securityHeaders,
  Throughput,
  type OperatorGuard,
} from '../dashboard/index.ts';
import type { FastifyInstance } from 'fastify';

export interface RunningRelay {
  /** Base URL the relay listens on, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly inbox: Inbox;
  /** The worker, when the role runs one. */
  readonly worker: Worker | undefined;
  /** Stops accepting, lets the worker finish or release its work, then closes the inbox. */
  close(): Promise<void>;
}

export interface RelayParts {
  readonly clock?: Clock;
  /** Replace the Salesforce or ERP side (tests of the worker against other peers). */
  readonly salesforce?: SalesforceClient;
  readonly erp?: ErpPort;
  /** Told about every message the listener committed (the demo counts duplicates with it). */
  readonly onStored?: (result: StoreResult, ackSeconds: number) => void;
}

const runsListener = (config: RelayConfig): boolean => config.role !== 'worker';
const runsWorker = (config: RelayConfig): boolean => config.role !== 'listener';

/** Checks what must hold before the relay accepts a single message or claims one. */
export function assertStartable(config: RelayConfig): void {
  const [first] = startProblems(config);
  if (first !== undefined) throw new ConfigError(first);
}

/** Every reason the relay would refuse to start with `config` (`sf-relay check` lists them all). */
export function startProblems(config: RelayConfig): string[] {
  const problems: string[] = [];
  if (runsListener(config) && config.allowedOrganizationIds.length === 0) {
    problems.push(
      'allowedOrganizationIds is empty, so every message would be refused: list the 15- or 18-character ' +
        'ids of the Salesforce orgs to accept, in the config file (allowedOrganizationIds) or ' +
        'SFRELAY_ALLOWED_ORGANIZATION_IDS=00D…,00D…',
    );
  }
  const { dashboard } = config;
  if (
    !isLoopbackHost(config.host) &&
    dashboard.token === undefined &&
    dashboard.password === undefined
  ) {
    problems.push(
      `the relay binds ${config.host}, so its dashboard, /api and /metrics would be reachable from the network: ` +
        'set dashboard.username + dashboard.password or dashboard.token (SFRELAY_DASHBOARD_*), or bind to 127.0.0.1' +
        (dashboard.open ? ' (dashboard.open is for a loopback address only)' : ''),
    );
  }
  const unguarded = runsListener(config) ? unguardedEndpointProblem(config) : undefined;
  if (unguarded !== undefined) problems.push(unguarded);
  if (config.tls?.clientCertHeader !== undefined && config.trustProxy.length === 0) {
    problems.push(
      'tls.clientCertHeader is believed only from a trusted proxy, and trustProxy is empty: list the ' +
        'address or CIDR of the TLS proxy that sets the header',
    );
  }
  const sf = config.salesforce;
  if (
    runsWorker(config) &&
    sf.oauth === undefined &&
    sf.orgs.every((org) => org.oauth === undefined) &&
    !sf.useMessageSessionId
  ) {
    problems.push(
      'the worker has no way to call Salesforce back: configure salesforce.oauth (client_credentials or ' +
        'jwt_bearer; or SFRELAY_SALESFORCE_* variables), or set salesforce.useMessageSessionId for a legacy ' +
        'org that still sends a SessionId — or run --role listener',
    );
  }
  return problems;
}

/** Runs the relay's roles in this process: the listener, the worker, or both (`all`). */
export async function startRelay(
  config: RelayConfig,
  logger: Logger,
  parts: RelayParts = {},
): Promise<RunningRelay> {
  assertStartable(config);
  const clock = parts.clock ?? systemClock;
  const wsdl = runsListener(config) ? loadWsdl(config.wsdl) : undefined;
  const caution = runsListener(config) ? describeSenderChecks(config).caution : undefined;
  if (caution !== undefined) logger.warn({ event: 'relay.sender_check_caution' }, caution);
  // Only an injected clock is handed on: without one PostgreSQL judges leases by its own clock.
  const inbox = await openInbox(config.db, { clock: parts.clock, migrate: config.migrateOnStart });
  try {
    const metrics = new RelayMetrics(inbox);
    const throughput = new Throughput(clock);
    const wired = runsWorker(config)
      ? await wireWorker({ config, inbox, clock, logger, metrics, throughput, parts })
      : undefined;
    const worker = wired?.worker;
    const guard = dashboardGuard(config.dashboard);
    const app = buildRelayServer({
      config,
      inbox,
      logger,
      wsdl,
      onStored: (result, ackSeconds) => {
        if (result.inserted > 0) worker?.nudge();
        metrics.stored(result, ackSeconds);
        parts.onStored?.(result, ackSeconds);
      },
      routes: operatorRoutes({ config, inbox, metrics, throughput, guard }),
      // Probes of a relay without credentials (loopback only) need none either.
      ...(hasCredentials(config.dashboard) ? { readinessGuard: guard } : {}),
    });
    await app.listen({ host: config.host, port: config.port });
    worker?.start();
    return running({ app, inbox, wired, url: listeningUrl(app, config) });
  } catch (error) {
    await inbox.close();
    throw error;
  }
}

interface WorkerWiring {
  readonly config: RelayConfig;
  readonly inbox: Inbox;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: RelayMetrics;
  readonly throughput: Throughput;
  readonly parts: RelayParts;
}

/** The worker, counted by the metrics and the dashboard's throughput (loaded only for its roles). */
async function wireWorker(wiring: WorkerWiring): Promise<RelayWorker> {
  const { metrics, throughput } = wiring;
  const { createRelayWorker } = await import('./relay-worker.ts');
  return createRelayWorker({
    ...wiring,
    onOutcome: (outcome, seconds) => {
      metrics.outcome(outcome, seconds);
      if (outcome.kind === 'done') throughput.recordDone();
    },
  });
}

/** /metrics behind the operator guard, and the dashboard with its API. */
function operatorRoutes(options: {
  readonly config: RelayConfig;
  readonly inbox: Inbox;
  readonly metrics: RelayMetrics;
  readonly throughput: Throughput;
  readonly guard: OperatorGuard;
}): (scope: FastifyInstance) => Promise<void> {
  const { config, inbox, metrics, throughput, guard } = options;
  return async (scope) => {
    // /metrics tells anyone who reads it how much flows and fails: the dashboard's rules apply.
    await scope.register(async (operator) => {
      operator.addHook('onRequest', securityHeaders);
      operator.addHook('onRequest', guard);
      await operator.register(metrics.routes);
    });
    await scope.register(dashboardRoutes, {
      inbox,
      throughput,
      credentials: config.dashboard,
      maxEventStreams: config.dashboard.maxEventStreams,
    });
  };
}

/** The URL the relay answers on: the port actually bound (`--port 0` picks one). */
function listeningUrl(app: FastifyInstance, config: RelayConfig): string {
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `${config.tls?.certFile !== undefined ? 'https' : 'http'}://${host}:${port}`;
}

/**
 * The started relay, and the one way to stop it: the listener first, then the worker (and the
 * clients it owned), then the inbox.
 */
function running(started: {
  readonly app: FastifyInstance;
  readonly inbox: Inbox;
  readonly wired: RelayWorker | undefined;
  readonly url: string;
}): RunningRelay {
  const { app, inbox, wired, url } = started;
  const worker = wired?.worker;
  // Work stored by listeners in other processes (PostgreSQL): wake at once, not at the next poll.
  const unwatch = worker === undefined ? undefined : inbox.watchArrivals?.(() => worker.nudge());
  let closing: Promise<void> | undefined;
  return {
    url,
    inbox,
    worker,
    close: () => {
      unwatch?.();
      closing ??= app
        .close()
        .then(() => worker?.stop())
        .finally(() => wired?.closeClients())
        .finally(() => inbox.close());
      return closing;
    },
  };
}
