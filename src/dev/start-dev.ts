import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { emulatorConfigSchema, relayConfigSchema, type RelayConfig } from '../config/index.ts';
import type { RunningEmulator } from '../emulator/index.ts';
import type { RunningErp } from '../erp-service/index.ts';
import type { Logger } from '../shared/index.ts';
import { withPortHint } from '../process/index.ts';
import type { RunningRelay } from '../relay/index.ts';
import { DevDataDirBusyError } from './errors.ts';

export interface DevOptions {
  /** Where the inbox, the ERP's orders and the org's records live across runs. */
  readonly dataDir: string;
  readonly port: number;
  readonly emulatorPort: number;
  readonly erpPort: number;
  readonly logger: Logger;
  /** Told when an Opportunity closes and when its order number is written back. */
  readonly onActivity?: (line: string) => void;
}

export interface RunningDev {
  readonly urls: { readonly relay: string; readonly emulator: string; readonly erp: string };
  readonly organizationId: string;
  /** A session of the emulator's integration user, for curl and jsforce. */
  readonly accessToken: string;
  /** The inbox URL (`sqlite:…/relay.db`), what `sf-relay messages --db` takes. */
  readonly db: string;
  readonly dataDir: string;
  /** Stops the emulator, the relay (letting the worker finish) and the ERP, in that order. */
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
/** The files a dev run keeps in its data folder (what `sf-relay reset` removes). */
export const DEV_DATA_FILES = ['relay.db', 'erp.db', 'emulator.db'] as const;
export const DEV_PID_FILE = 'dev.pid';

/** The pid of a live `sf-relay dev` using `dataDir`, if there is one. */
export function devProcessUsing(dataDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, DEV_PID_FILE), 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: it lives, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

/**
 * The emulator, the reference ERP and the relay in one process, wired to each other, with
 * their data in one folder that survives restarts: the loop a newcomer runs first. The
 * emulator's ids never repeat across runs, so a second run's Opportunities are new to the inbox.
 */
export async function startDev(options: DevOptions): Promise<RunningDev> {
  const services = await loadServices();
  const dataDir = resolve(options.dataDir);
  const pidFile = claimDataDir(dataDir, options.dataDir);
  const started: { erp?: RunningErp; emulator?: RunningEmulator; relay?: RunningRelay } = {};
  const close = async (): Promise<void> => {
    // The org stops sending first, then the relay finishes what it holds, then the ERP goes.
    await started.emulator?.close();
    await started.relay?.close();
    await started.erp?.close();
    rmSync(pidFile, { force: true });
  };
  try {
    const erp = (started.erp = await startDevErp(services, options, dataDir));
    const emulator = (started.emulator = await startDevEmulator(services, options, dataDir));
    const config = devRelayConfig(options, dataDir, emulator, erp);
    const relay = (started.relay = await withPortHint(
      { service: 'the relay', host: HOST, port: options.port, choose: '--port N' },
      () => services.startRelay(config, options.logger),
    ));
    for (const definition of emulator.definitions.list())
      emulator.definitions.setEndpoint(definition.name, `${relay.url}/soap/outbound`);
    watchActivity(emulator, options.onActivity);
    return {
      urls: { relay: relay.url, emulator: emulator.url, erp: erp.url },
      organizationId: emulator.organizationId,
      accessToken: emulator.accessToken,
      db: config.db,
      dataDir,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

interface DevServices {
  readonly startEmulator: typeof import('../emulator/index.ts').startEmulator;
  readonly startErp: typeof import('../erp-service/index.ts').startErp;
  readonly startRelay: typeof import('../relay/index.ts').startRelay;
}

/**
 * Loaded here, not at the top: `sf-relay reset` reads this folder's file names, and every
 * command pays for what the CLI loads at start-up.
 */
async function loadServices(): Promise<DevServices> {
  const [{ startEmulator }, { startErp }, { startRelay }] = await Promise.all([
    import('../emulator/index.ts'),
    import('../erp-service/index.ts'),
    import('../relay/index.ts'),
  ]);
  return { startEmulator, startErp, startRelay };
}

/** Refuses a folder another live `sf-relay dev` uses, then marks it ours; returns the pid file. */
function claimDataDir(dataDir: string, asGiven: string): string {
  const busy = devProcessUsing(dataDir);
  if (busy !== undefined) throw new DevDataDirBusyError(asGiven, busy);
  mkdirSync(dataDir, { recursive: true });
  const pidFile = join(dataDir, DEV_PID_FILE);
  writeFileSync(pidFile, `${process.pid}\n`);
  return pidFile;
}

function startDevErp(
  services: DevServices,
  options: DevOptions,
  dataDir: string,
): Promise<RunningErp> {
  const { erpPort: port, logger } = options;
  return withPortHint(
    { service: 'the reference ERP', host: HOST, port, choose: '--erp-port N' },
    () => services.startErp({ host: HOST, port, dbPath: join(dataDir, 'erp.db'), logger }),
  );
}

function startDevEmulator(
  services: DevServices,
  options: DevOptions,
  dataDir: string,
): Promise<RunningEmulator> {
  const { emulatorPort: port, logger } = options;
  return withPortHint(
    { service: 'the emulator', host: HOST, port, choose: '--emulator-port N' },
    () =>
      services.startEmulator({
        logger,
        config: { host: HOST, port, dataFile: join(dataDir, 'emulator.db') },
      }),
  );
}

/** The relay of the dev loop: the emulator's org, its default connected app, the local ERP. */
function devRelayConfig(
  options: DevOptions,
  dataDir: string,
  emulator: RunningEmulator,
  erp: RunningErp,
): RelayConfig {
  const app = emulatorConfigSchema.parse({}).connectedApps[0];
  if (app === undefined) throw new Error("the emulator's default connected app is missing");
  return relayConfigSchema.parse({
    host: HOST,
    port: options.port,
    db: `sqlite:${join(dataDir, 'relay.db')}`,
    logLevel: 'warn',
    allowedOrganizationIds: [emulator.organizationId],
    salesforce: {
      oauth: {
        flow: 'client_credentials',
        loginUrl: emulator.url,
        clientId: app.clientId,
        clientSecret: app.clientSecret,
      },
    },
    erp: { url: erp.url },
  });
}

function watchActivity(emulator: RunningEmulator, report?: (line: string) => void): void {
  if (report === undefined) return;
  emulator.store.onChange((change) => {
    if (change.after.type !== 'Opportunity') return;
    const field = (name: string, values = change.after.values): unknown => values.get(name) ?? null;
    const name = String(field('Name'));
    const before = change.before?.values;
    if (
      field('StageName') === 'Closed Won' &&
      (!before || field('StageName', before) !== 'Closed Won')
    )
      report(`Opportunity ${change.after.id} (${name}) closed won: outbound message queued`);
    const number = field('Order_Number__c');
    if (number !== null && (!before || field('Order_Number__c', before) !== number))
      report(`Opportunity ${change.after.id} (${name}) has its order number ${String(number)}`);
  });
}
