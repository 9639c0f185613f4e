import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { test } from 'vitest';
import { relayConfigSchema, type RelayConfigInput } from '../../src/config/index.ts';
import { startRelay, type RunningRelay } from '../../src/relay/index.ts';
import { createLogger } from '../../src/shared/index.ts';
import { makeTempDir, type TempDir } from './temp-dir.ts';

export const SAMPLE_ORG_ID = '00D5g000004XyZ1EAK';

export interface TestRelay {
  readonly relay: RunningRelay;
  readonly url: string;
  readonly dbPath: string;
  readonly dir: TempDir;
  /** Every log line the relay wrote, as text. */
  readonly logs: string[];
  /** Rows in the notifications table, read through a separate connection. */
  rowCount(): number;
  stop(): Promise<void>;
}

/** A real relay on a free loopback port with a fresh SQLite file, logging into memory. */
export async function startTestRelay(
  overrides: Partial<RelayConfigInput> = {},
): Promise<TestRelay> {
  const dir = makeTempDir();
  const dbPath = dir.file('relay.db');
  const config = relayConfigSchema.parse({
    port: 0,
    db: `sqlite:${dbPath}`,
    allowedOrganizationIds: [SAMPLE_ORG_ID],
    // The samples name the emulator's address; real orgs are *.salesforce.com.
    role: 'listener',
    logLevel: 'debug',
    // Loopback only, reached by nothing but this test: the dashboard needs no login.
    dashboard: { open: true },
    ...overrides,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const relay = await startRelay(config, createLogger(config.logLevel, sink));
  return {
    relay,
    url: relay.url,
    dbPath,
    dir,
    logs,
    rowCount: () => countRows(dbPath),
    stop: async () => {
      await relay.close();
      dir.remove();
    },
  };
}

/**
 * The test API with a `startRelay` fixture: starts relays as `startTestRelay` does, each test
 * with its own settings, and stops every one it started when the test ends.
 */
export const relayTest = test.extend(
  'startRelay',
  // vitest reads the fixture's dependencies from an object pattern, so an empty one says "none".
  // eslint-disable-next-line no-empty-pattern
  async ({}, { onCleanup }) => {
    const started: TestRelay[] = [];
    onCleanup(async () => {
      await Promise.all(started.map((relay) => relay.stop()));
    });
    return async (overrides: Partial<RelayConfigInput> = {}): Promise<TestRelay> => {
      const relay = await startTestRelay(overrides);
      started.push(relay);
      return relay;
    };
  },
);

export function countRows(dbPath: string): number {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare('SELECT count(*) AS n FROM notifications').get() as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}

export interface SoapReply {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
}

export async function postSoap(
  url: string,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
): Promise<SoapReply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""', ...headers },
    body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    body: await response.text(),
  };
}

export const isAck = (reply: SoapReply): boolean =>
  reply.status === 200 && /<Ack>true<\/Ack>/.test(reply.body) && !/Fault/.test(reply.body);

/** The `faultcode` and our error code from a SOAP fault reply. */
export function faultOf(reply: SoapReply): {
  faultCode: string | undefined;
  errorCode: string | undefined;
} {
  return {
    faultCode: /<faultcode>soapenv:(\w+)<\/faultcode>/.exec(reply.body)?.[1],
    errorCode: /<sfr:code>([A-Z_]+)<\/sfr:code>/.exec(reply.body)?.[1],
  };
}
