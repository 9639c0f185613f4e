import type { FastifyInstance } from 'fastify';
import {
  emulatorConfigSchema,
  type EmulatorConfig,
  type EmulatorConfigInput,
} from '../config/index.ts';
import { createLogger, type Logger } from '../shared/index.ts';
import { ApiCounters } from './api-counters.ts';
import { ApiUsage } from './api-usage.ts';
import type { EmulatorSessionAuthority } from './auth/index.ts';
import type { EmulatorUser } from './auth/session-authority.ts';
import { FaultInjector } from './faults.ts';
import type { OutboundDefinitions } from './outbound/outbound-definitions.ts';
import type { OutboundQueue } from './outbound/outbound-queue.ts';
import type { OutboundSender } from './outbound/outbound-sender.ts';
import type { RecordStore } from './records/record-store.ts';
import { connectedAppsOf } from './start/connected-apps.ts';
import { createHttpApp } from './start/http-app.ts';
import { openOrg } from './start/open-org.ts';
import { createOutbound } from './start/outbound.ts';
import { startOrUndo, type StartedParts } from '../shared/index.ts';
import type { VirtualClock } from './virtual-clock.ts';

export interface StartEmulatorOptions {
  readonly config?: EmulatorConfigInput;
  readonly logger?: Logger;
  /**
   * Aborting it while the emulator starts stops whatever had started (server, sender, data
   * file) and rejects with the signal's reason. It has no effect once the emulator runs.
   */
  readonly signal?: AbortSignal;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:PORT`: the instance URL and login URL of the org. */
  readonly url: string;
  readonly organizationId: string;
  /** A session of the first configured user, ready for jsforce `new Connection({ instanceUrl, accessToken })`. */
  readonly accessToken: string;
  readonly config: EmulatorConfig;
  readonly store: RecordStore;
  readonly clock: VirtualClock;
  readonly authority: EmulatorSessionAuthority;
  readonly queue: OutboundQueue;
  readonly sender: OutboundSender;
  readonly definitions: OutboundDefinitions;
  readonly faults: FaultInjector;
  readonly counters: ApiCounters;
  /** The daily API allowance: `Sforce-Limit-Info`, `/limits`, REQUEST_LIMIT_EXCEEDED. */
  readonly usage: ApiUsage;
  readonly users: readonly EmulatorUser[];
  close(): Promise<void>;
}

/**
 * Starts a local Salesforce org on loopback: REST, SOAP, OAuth, automation and the sender.
 * When any step fails, what the earlier steps started is stopped before the error is thrown.
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const config = emulatorConfigSchema.parse(options.config ?? {});
  const logger = options.logger ?? createLogger(config.logLevel);
  return startOrUndo(
    (parts) => startParts(config, logger, parts, options.signal),
    (err: unknown) => logger.error({ err }, 'emulator.start.cleanup_failed'),
  );
}

async function startParts(
  config: EmulatorConfig,
  logger: Logger,
  parts: StartedParts,
  signal: AbortSignal | undefined,
): Promise<RunningEmulator> {
  signal?.throwIfAborted();
  const org = openOrg(config, parts);
  const apps = connectedAppsOf(config, org.metadata);
  const counters = new ApiCounters();
  const usage = new ApiUsage(org.clock, config.limits.dailyApiRequests);
  const faults = new FaultInjector();
  // The org learns its own URL only once it listens (port 0 picks one); everything that names
  // it reads this at request time.
  const orgUrl = { url: '' };
  const outbound = createOutbound(config, org, {
    counters,
    faults,
    logger,
    instanceUrl: () => orgUrl.url,
  });
  const app = createHttpApp(
    config,
    { org, outbound, apps, counters, usage, faults, logger },
    orgUrl,
  );
  // Registered before listen(): Fastify's close() is safe on a server that never bound, and a
  // listen() that fails part-way must not leave the plugins' resources open.
  parts.started(() => app.close());
  orgUrl.url = await listen(app, config);
  signal?.throwIfAborted();
  outbound.sender.start();
  parts.started(() => outbound.sender.stop());

  const firstUser = org.users[0];
  if (!firstUser) throw new Error('the emulator needs at least one user');
  return {
    url: orgUrl.url,
    organizationId: org.organizationId,
    accessToken: org.authority.issue(firstUser.id).accessToken,
    config,
    store: org.store,
    clock: org.clock,
    authority: org.authority,
    ...outbound,
    faults,
    counters,
    usage,
    users: org.users,
    close: () => parts.stopAll(),
  };
}

/** Listens on the configured host and port; the org's URL, with the port the system picked. */
async function listen(app: FastifyInstance, config: EmulatorConfig): Promise<string> {
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  return `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
}
