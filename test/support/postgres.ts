import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Where the PostgreSQL tests run: `DATABASE_URL`, else a local server on 127.0.0.1:5432 as
 * user postgres. Resolved once per test file; each test then works in its own schema.
 */
const LOCAL_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export type PostgresForTests =
  | { readonly available: true; readonly url: string }
  | { readonly available: false; readonly reason: string };

async function reachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Finds a server for the PostgreSQL tests. Without one they are skipped with a message saying
 * how to run them, except under `REQUIRE_PG=1` (set by `.ci/run`), where a missing server fails.
 */
export async function postgresForTests(): Promise<PostgresForTests> {
  const url = process.env['DATABASE_URL'] ?? LOCAL_URL;
  const problem = await reachable(url);
  if (problem === null) return { available: true, url };
  const where =
    process.env['DATABASE_URL'] === undefined ? '127.0.0.1:5432 (user postgres)' : 'DATABASE_URL';
  if (process.env['REQUIRE_PG'] === '1') {
    throw new Error(`REQUIRE_PG=1 but PostgreSQL at ${where} is not reachable: ${problem}`);
  }
  const reason =
    `PostgreSQL tests skipped: no server at ${where} (${problem}). ` +
    'Start PostgreSQL locally or set DATABASE_URL=postgres://USER@HOST:PORT/DB to run them.';
  process.stderr.write(`${reason}\n`);
  return { available: false, reason };
}

export interface TestSchema {
  /** `--db` URL of an inbox in this schema. */
  readonly url: string;
  readonly name: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/** A fresh, uniquely named schema (created by the first migration), dropped by `drop()`. */
export function testSchema(baseUrl: string): TestSchema {
  const name = `sfrelay_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = new URL(baseUrl);
  url.searchParams.set('schema', name);
  return {
    url: url.toString(),
    name,
    drop: async () => {
      await withClient(baseUrl, (client) => client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`));
    },
  };
}

/** Runs `work` on a short-lived connection to `url` (for set-up and inspection in tests). */
export async function withClient<T>(
  url: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** An inbox a test runs on: `db()` gives its URL, undefined meaning the relay's SQLite file. */
export interface InboxUnderTest {
  readonly name: string;
  db(): Promise<string | undefined>;
  readonly skip?: string;
}

/**
 * SQLite and PostgreSQL, for a `describe.each` that runs the same tests on both. Each `db()` on
 * PostgreSQL makes a fresh schema and pushes its drop onto `cleanups`, which the caller runs
 * after each test; without a server the PostgreSQL entry is skipped with the reason.
 */
export function inboxesUnderTest(
  postgres: PostgresForTests,
  cleanups: (() => Promise<unknown>)[],
): InboxUnderTest[] {
  return [
    { name: 'SQLite', db: async () => undefined },
    {
      name: 'PostgreSQL',
      db: async () => {
        if (!postgres.available) return undefined;
        const schema = testSchema(postgres.url);
        cleanups.push(() => schema.drop());
        return schema.url;
      },
      ...(postgres.available ? {} : { skip: postgres.reason }),
    },
  ];
}
