import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { EmulatorConfigInput, RelayConfigInput } from '../config/index.ts';
import { DEFAULT_EMULATOR_USER } from '../config/index.ts';
import { ChildServer } from './child-server.ts';
import { callJson } from './json-api.ts';

export const CHAOS_CLIENT_ID = 'sf-relay-chaos';
const ORGANIZATION_ID = '00D5g000004XyZ1EAK';
/** The relay gives up on an ERP call after this; held ("timed out") creates last twice as long. */
export const RELAY_ERP_TIMEOUT_MS = 2000;
const START_TIMEOUT_MS = 60_000;

export interface ChaosServices {
  readonly emulator: ChildServer;
  readonly erp: ChildServer;
  /** The listener first, then the workers: the kill schedule picks among these. */
  readonly relays: readonly ChildServer[];
  /** A fresh secret for this run's connected app, so a leak of it is unmistakable. */
  readonly clientSecret: string;
  readonly clientId: string;
  /** Repoints the emulator's outbound message at the listener's current URL. */
  pointEmulatorAtListener(): Promise<void>;
  close(): Promise<void>;
}

export interface ChaosServicesOptions {
  readonly dir: string;
  readonly db: string;
  readonly workers: number;
}

/**
 * The emulator, the reference ERP and the relay, each an `sf-relay` command in its own OS
 * process with its own log file under `dir`. The relay runs as one `--role listener` and
 * `workers` `--role worker` processes on the same inbox: the topology that PostgreSQL is for,
 * which SQLite supports on one machine (one writer at a time, WAL). It lets a kill hit the
 * receiving side (Salesforce must retry) or the processing side (leases must expire and be
 * taken over) separately.
 */
export async function startChaosServices(options: ChaosServicesOptions): Promise<ChaosServices> {
  const { dir } = options;
  const clientSecret = randomBytes(24).toString('base64url');
  const baseEnv = withoutSfRelayVariables(process.env);
  const started: ChildServer[] = [];
  // Every process is stopped even when another fails to stop; then the first failure is passed on.
  const close = async (): Promise<void> => {
    const stopped = await Promise.allSettled(started.map((server) => server.close()));
    const failed = stopped.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  };
  try {
    const emulatorConfig = join(dir, 'emulator.yaml');
    writeFileSync(emulatorConfig, stringify(emulatorSettings(clientSecret)), { mode: 0o600 });
    const emulator = await ChildServer.start({
      name: 'emulator',
      args: ['emulator', '--config', emulatorConfig],
      env: baseEnv,
      readyEvent: 'emulator.listening',
      logFile: join(dir, 'emulator.log'),
      stderrFile: join(dir, 'emulator.banner.txt'),
      startTimeoutMs: START_TIMEOUT_MS,
    });
    started.push(emulator);
    const erp = await ChildServer.start({
      name: 'erp',
      args: ['erp', '--port', '0', '--db', join(dir, 'erp.db')],
      env: baseEnv,
      readyEvent: 'erp.listening',
      logFile: join(dir, 'erp.log'),
      startTimeoutMs: START_TIMEOUT_MS,
    });
    started.push(erp);

    const relays = await startRelayProcesses(options, emulator.url, erp.url, clientSecret, baseEnv);
    started.push(...relays);
    const services: ChaosServices = {
      emulator,
      erp,
      relays,
      clientSecret,
      clientId: CHAOS_CLIENT_ID,
      pointEmulatorAtListener: async () => {
        const listener = relays[0];
        if (!listener) return;
        await callJson(
          'PATCH',
          `${emulator.url}/emulator/outbound-definitions/Opportunity_Closed_Won`,
          { endpointUrl: `${listener.url}/soap/outbound` },
        );
      },
      close,
    };
    await services.pointEmulatorAtListener();
    return services;
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The listener, then each worker, one after another: the first opens (and migrates) the inbox
 * before the others share it. If one fails to start, those already started are stopped.
 */
async function startRelayProcesses(
  options: ChaosServicesOptions,
  emulatorUrl: string,
  erpUrl: string,
  clientSecret: string,
  baseEnv: NodeJS.ProcessEnv,
): Promise<ChildServer[]> {
  const { dir } = options;
  const relayConfig = join(dir, 'relay.yaml');
  // 0600: a PostgreSQL URL may carry a password.
  writeFileSync(relayConfig, stringify(relaySettings(options.db, emulatorUrl, erpUrl)), {
    mode: 0o600,
  });
  // The secret reaches the relay the way an operator would pass it: in the environment.
  const relayEnv = { ...baseEnv, SFRELAY_SALESFORCE_CLIENT_SECRET: clientSecret };
  const relaySpec = (role: 'listener' | 'worker', name: string) => ({
    name,
    args: ['start', '--config', relayConfig, '--port', '0', '--role', role],
    env: relayEnv,
    readyEvent: 'relay.listening',
    logFile: join(dir, `${name}.log`),
    startTimeoutMs: START_TIMEOUT_MS,
  });
  const relays: ChildServer[] = [];
  try {
    for (const [role, name] of [
      ['listener', 'listener'] as const,
      ...Array.from({ length: options.workers }, (_, i) => ['worker', `worker-${i + 1}`] as const),
    ]) {
      relays.push(await ChildServer.start(relaySpec(role, name)));
    }
    return relays;
  } catch (error) {
    await Promise.allSettled(relays.map((relay) => relay.close()));
    throw error;
  }
}

/** A user's own SFRELAY_* settings must not leak into the run's processes. */
function withoutSfRelayVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('SFRELAY_')));
}

function emulatorSettings(clientSecret: string): EmulatorConfigInput {
  return {
    port: 0,
    organizationId: ORGANIZATION_ID,
    logLevel: 'info',
    connectedApps: [
      {
        name: 'sf_relay_chaos',
        clientId: CHAOS_CLIENT_ID,
        clientSecret,
        runAsUsername: DEFAULT_EMULATOR_USER,
      },
    ],
    outboundMessages: [
      { name: 'Opportunity_Closed_Won', endpointUrl: 'http://127.0.0.1:9/not-yet' },
    ],
    // Salesforce's schedule starts at 30 s and doubles; a run that waited for it would take
    // hours. The shape (exponential, capped, jittered, out of order) is what matters here.
    retry: { initialDelaySeconds: 0.5, maxDelaySeconds: 4, maxAgeHours: 24, jitterRatio: 0.5 },
    delivery: { timeoutSeconds: 10, pollMs: 50, maxConcurrent: 4 },
  };
}

function relaySettings(db: string, emulatorUrl: string, erpUrl: string): RelayConfigInput {
  return {
    db,
    logLevel: 'info',
    allowedOrganizationIds: [ORGANIZATION_ID],
    salesforce: {
      timeoutMs: 10_000,
      oauth: { flow: 'client_credentials', loginUrl: emulatorUrl, clientId: CHAOS_CLIENT_ID },
    },
    erp: { url: erpUrl, timeoutMs: RELAY_ERP_TIMEOUT_MS },
    worker: {
      concurrency: 8,
      // A killed worker's claims come back after this; longer than any one try can take.
      leaseSeconds: 15,
      pollMs: 100,
      // Faults are drawn per call, so a notification may fail many tries in a row; dying
      // after a few would be a loss the run caused, not one the relay did.
      maxAttempts: 200,
      backoffInitialMs: 100,
      backoffMaxMs: 2000,
    },
  };
}
