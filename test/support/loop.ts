import { Writable } from 'node:stream';
import { type Clock, createLogger } from '../../src/shared/index.ts';
import type { RelayConfigInput } from '../../src/config/index.ts';
import type { EmulatorConfigInput } from '../../src/config/index.ts';
import { startErp, type RunningErp } from '../../src/erp-service/index.ts';
import type { RunningEmulator } from '../../src/emulator/index.ts';
import { writeFileSync } from 'node:fs';
import { DEFAULT_EMULATOR_USER } from '../../src/config/index.ts';
import { relayConfigSchema } from '../../src/config/index.ts';
import { startRelay, type RunningRelay } from '../../src/relay/index.ts';
import { seedCatalogue, startTestEmulator } from './emulator.ts';
import type { KeyPair } from './certificates.ts';
import { makeTempDir, type TempDir } from './temp-dir.ts';

export const CLIENT_ID = 'sf-relay-emulator-client';
export const CLIENT_SECRET = 'sf-relay-emulator-secret';

/** The client-credentials settings a relay (or a second worker) uses against this emulator. */
export function emulatorOAuth(emulatorUrl: string) {
  return {
    flow: 'client_credentials',
    loginUrl: emulatorUrl,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
  } as const;
}

/** The whole loop on loopback: emulator → relay (listener + worker) → reference ERP → emulator. */
export interface Loop {
  readonly emulator: RunningEmulator;
  readonly erp: RunningErp;
  readonly relay: RunningRelay;
  readonly dir: TempDir;
  /** Every log line the relay wrote. */
  readonly logs: string[];
  /** Creates an open Opportunity with one line item; returns its id. */
  openOpportunity(name?: string): string;
  close(id: string): void;
  stop(): Promise<void>;
}

export interface LoopOptions {
  readonly relay?: Partial<RelayConfigInput>;
  readonly emulator?: EmulatorConfigInput;
  /** Sender poll interval; large values leave delivery to explicit flushes. */
  readonly senderPollMs?: number;
  /** Use the JWT bearer flow with this key pair (the certificate goes to the emulator's app). */
  readonly jwt?: KeyPair;
  /** The relay's clock (backoff, breaker pauses, inbox times): a test may move it. */
  readonly clock?: Clock;
  /** The OAuth client the relay calls back with (default: the emulator's default connected app). */
  readonly client?: { readonly id: string; readonly secret: string };
}

export async function startLoop(options: LoopOptions = {}): Promise<Loop> {
  const dir = makeTempDir('sf-relay-loop-');
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger('debug', sink);
  const erp = await startErp({ port: 0, dbPath: dir.file('erp.db'), logger });
  const jwtFiles = options.jwt
    ? { key: dir.file('jwt.key'), cert: dir.file('jwt.crt') }
    : undefined;
  if (options.jwt && jwtFiles) {
    writeFileSync(jwtFiles.key, options.jwt.privateKeyPem);
    writeFileSync(jwtFiles.cert, options.jwt.certificatePem);
  }
  const emulator = await startTestEmulator({
    ...(jwtFiles
      ? {
          connectedApps: [
            {
              name: 'sf_relay',
              clientId: CLIENT_ID,
              clientSecret: CLIENT_SECRET,
              runAsUsername: DEFAULT_EMULATOR_USER,
              certificateFile: jwtFiles.cert,
            },
          ],
        }
      : {}),
    delivery: { pollMs: options.senderPollMs ?? 20, timeoutSeconds: 10, maxConcurrent: 4 },
    outboundMessages: [
      { name: 'Opportunity_Closed_Won', endpointUrl: 'http://127.0.0.1:9/not-yet' },
    ],
    ...options.emulator,
  });
  const config = relayConfigSchema.parse({
    port: 0,
    db: `sqlite:${dir.file('relay.db')}`,
    allowedOrganizationIds: [emulator.organizationId],
    role: 'all',
    logLevel: 'debug',
    // Loopback only, reached by nothing but this test: the dashboard needs no login.
    dashboard: { open: true },
    ...options.relay,
    salesforce: {
      oauth: jwtFiles
        ? {
            flow: 'jwt_bearer',
            loginUrl: emulator.url,
            clientId: CLIENT_ID,
            username: DEFAULT_EMULATOR_USER,
            privateKeyFile: jwtFiles.key,
          }
        : {
            flow: 'client_credentials',
            loginUrl: emulator.url,
            clientId: options.client?.id ?? CLIENT_ID,
            clientSecret: options.client?.secret ?? CLIENT_SECRET,
          },
      // Legacy mode sends a SessionId only to the host pinned for the org, as an operator would pin it.
      orgs: [{ organizationId: emulator.organizationId, instanceHost: new URL(emulator.url).host }],
      ...options.relay?.salesforce,
    },
    erp: { url: erp.url, timeoutMs: 2000, ...options.relay?.erp },
    worker: {
      concurrency: 4,
      leaseSeconds: 30,
      pollMs: 20,
      maxAttempts: 8,
      backoffInitialMs: 20,
      backoffMaxMs: 200,
      ...options.relay?.worker,
    },
  });
  const relay = await startRelay(config, logger, { clock: options.clock });
  for (const definition of emulator.definitions.list()) {
    emulator.definitions.setEndpoint(definition.name, `${relay.url}/soap/outbound`);
  }
  const { accountId, pricebookId, entryId } = seedCatalogue(emulator);
  let counter = 0;
  return {
    emulator,
    erp,
    relay,
    dir,
    logs,
    openOpportunity: (name = `Deal ${++counter}`) => {
      const id = emulator.store.create(
        'Opportunity',
        {
          Name: name,
          AccountId: accountId,
          Pricebook2Id: pricebookId,
          StageName: 'Negotiation/Review',
          CloseDate: '2026-12-15',
        },
        null,
      );
      emulator.store.create(
        'OpportunityLineItem',
        { OpportunityId: id, PricebookEntryId: entryId, Quantity: 2 },
        null,
      );
      return id;
    },
    close: (id) => emulator.store.update('Opportunity', id, { StageName: 'Closed Won' }, null),
    stop: async () => {
      await emulator.close();
      await relay.close();
      await erp.close();
      dir.remove();
    },
  };
}

/** Session ids and access tokens look like `<org id>!<opaque>` in Salesforce and the emulator. */
const TOKEN_SHAPE = /00D[a-zA-Z0-9]{12,15}![A-Za-z0-9._-]{8,}/;

/** What of the loop's secrets leaked into its logs (empty when nothing did). */
export function leakedSecrets(l: Loop, extra: readonly string[] = []): string[] {
  const text = l.logs.join('');
  const found: string[] = [];
  for (const secret of [CLIENT_SECRET, 'PRIVATE KEY', ...extra])
    if (text.includes(secret)) found.push(secret);
  const token = TOKEN_SHAPE.exec(text);
  if (token) found.push(`a token shaped like ${token[0].slice(0, 20)}…`);
  return found;
}

/**
 * A relay config file for child processes (`sf-relay start --config F`) wired to a test
 * emulator (client-credentials OAuth) and ERP; `extra` adds or replaces top-level keys.
 */
export function writeRelayConfigFile(
  path: string,
  peers: { readonly emulator: RunningEmulator; readonly erpUrl: string; readonly db: string },
  extra: Record<string, unknown> = {},
): string {
  writeFileSync(
    path,
    JSON.stringify({
      db: peers.db,
      allowedOrganizationIds: [peers.emulator.organizationId],
      salesforce: {
        oauth: {
          flow: 'client_credentials',
          loginUrl: peers.emulator.url,
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
        },
      },
      erp: { url: peers.erpUrl },
      ...extra,
    }),
  );
  return path;
}
