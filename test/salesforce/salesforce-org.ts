import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { test } from 'vitest';
import { DEFAULT_EMULATOR_USER } from '../../src/config/emulator-schema.ts';
import {
  salesforceConfigSchema,
  type OAuthConfig,
  type SalesforceConfig,
} from '../../src/config/schema.ts';
import type { RunningEmulator } from '../../src/emulator/start-emulator.ts';
import { createLogger, type Logger } from '../../src/shared/index.ts';
import {
  createSalesforceClient,
  type CallbackTarget,
  type PrivateKeyReader,
  type SalesforceClient,
} from '../../src/salesforce/index.ts';
import { makeKeyPair } from '../support/certificates.ts';
import { seedCatalogue, startTestEmulator } from '../support/emulator.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

export const CC_CLIENT_ID = '3MVG9relayClientCredentials';
export const JWT_CLIENT_ID = '3MVG9relayJwtBearer';

/** A real emulator with a client-credentials app and a JWT bearer app, plus the secrets used. */
export interface TestOrg {
  readonly emulator: RunningEmulator;
  readonly clientSecret: string;
  readonly privateKeyPem: string;
  /** The PEM key on disk, for `privateKeyFile`. */
  readonly privateKeyFile: string;
  readonly userId: string;
  close(): Promise<void>;
}

export async function startTestOrg(): Promise<TestOrg> {
  const dir: TempDir = makeTempDir('sf-relay-sf-client-');
  const keys = makeKeyPair();
  const certificateFile = dir.file('app.crt');
  const privateKeyFile = dir.file('app.key');
  writeFileSync(certificateFile, keys.certificatePem);
  writeFileSync(privateKeyFile, keys.privateKeyPem);
  const clientSecret = `cc-secret-${randomBytes(12).toString('hex')}`;
  const emulator = await startTestEmulator({
    outboundMessages: [],
    connectedApps: [
      {
        name: 'relay_cc',
        clientId: CC_CLIENT_ID,
        clientSecret,
        runAsUsername: DEFAULT_EMULATOR_USER,
      },
      {
        name: 'relay_jwt',
        clientId: JWT_CLIENT_ID,
        clientSecret: `jwt-app-secret-${randomBytes(8).toString('hex')}`,
        certificateFile,
      },
    ],
  });
  const [user] = emulator.users;
  if (!user) throw new Error('the emulator has no user');
  return {
    emulator,
    clientSecret,
    privateKeyPem: keys.privateKeyPem,
    privateKeyFile,
    userId: user.id,
    close: async () => {
      await emulator.close();
      dir.remove();
    },
  };
}

/**
 * The test API with an `org` fixture: one test org a file, started when a test or a suite hook
 * first asks for it and closed after the file's last test. Starting an emulator and signing a
 * certificate is the slow part, so the tests of a file share one org and make their own records.
 */
// vitest reads the fixture's dependencies from an object pattern, so an empty one says "none".
// eslint-disable-next-line no-empty-pattern
export const orgTest = test.extend('org', { scope: 'file' }, async ({}, { onCleanup }) => {
  const org = await startTestOrg();
  onCleanup(() => org.close());
  return org;
});

export function clientCredentials(org: TestOrg, overrides: Partial<OAuthConfig> = {}): OAuthConfig {
  return {
    flow: 'client_credentials',
    loginUrl: org.emulator.url,
    clientId: CC_CLIENT_ID,
    clientSecret: org.clientSecret,
    ...overrides,
  };
}

export function jwtBearer(org: TestOrg, overrides: Partial<OAuthConfig> = {}): OAuthConfig {
  return {
    flow: 'jwt_bearer',
    loginUrl: org.emulator.url,
    clientId: JWT_CLIENT_ID,
    username: DEFAULT_EMULATOR_USER,
    privateKeyFile: org.privateKeyFile,
    ...overrides,
  };
}

export function salesforceConfig(input: Record<string, unknown>): SalesforceConfig {
  return salesforceConfigSchema.parse(input);
}

/** Log lines as written, so a test can search them for secrets. */
export interface CapturedLog {
  readonly logger: Logger;
  text(): string;
}

export function captureLog(): CapturedLog {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  return { logger: createLogger('trace', sink), text: () => chunks.join('') };
}

export function makeClient(
  org: TestOrg,
  config: SalesforceConfig,
  options: { logger?: Logger; readPrivateKey?: PrivateKeyReader } = {},
): SalesforceClient {
  // Legacy mode sends a SessionId only to the host pinned for the org, as an operator would pin it.
  const pinned = config.orgs.some((entry) => entry.organizationId === org.emulator.organizationId)
    ? config
    : {
        ...config,
        orgs: [
          ...config.orgs,
          {
            organizationId: org.emulator.organizationId,
            instanceHost: new URL(org.emulator.url).host,
          },
        ],
      };
  return createSalesforceClient({
    config: pinned,
    clock: org.emulator.clock,
    logger: options.logger ?? createLogger('silent'),
    ...(options.readPrivateKey === undefined ? {} : { readPrivateKey: options.readPrivateKey }),
  });
}

/** Where a message from the emulated org would tell us to call back. */
export function targetOf(org: TestOrg, sessionId: string | null = null): CallbackTarget {
  const { emulator } = org;
  const org15 = emulator.organizationId.slice(0, 15);
  return {
    organizationId: emulator.organizationId,
    partnerUrl: `${emulator.url}/services/Soap/u/60.0/${org15}`,
    sessionId,
  };
}

/** A Closed Won Opportunity with an Account and two line items. */
export function createOpportunity(org: TestOrg, name = 'Acme Fibre'): string {
  const { store } = org.emulator;
  const { accountId, pricebookId, entryId } = seedCatalogue(org.emulator);
  const opportunityId = store.create(
    'Opportunity',
    {
      Name: name,
      AccountId: accountId,
      StageName: 'Closed Won',
      CloseDate: '2026-12-01',
      Amount: 12000,
      Pricebook2Id: pricebookId,
    },
    null,
  );
  store.create(
    'OpportunityLineItem',
    { OpportunityId: opportunityId, PricebookEntryId: entryId, Quantity: 3 },
    null,
  );
  store.create(
    'OpportunityLineItem',
    { OpportunityId: opportunityId, PricebookEntryId: entryId, Quantity: 1, UnitPrice: 40 },
    null,
  );
  return opportunityId;
}

/** OAuth token requests the org has answered. */
export function tokenRequests(org: TestOrg): number {
  const { calls } = org.emulator.counters.snapshot();
  return Object.entries(calls)
    .filter(([key]) => key.startsWith('oauth'))
    .reduce((sum, [, count]) => sum + count, 0);
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`, { cause: error });
  }
  throw new Error('expected the promise to reject');
}
