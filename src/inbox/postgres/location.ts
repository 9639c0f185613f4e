import { redactUrlCredentials } from '../../config/index.ts';
import { InboxArgumentError } from '../errors.ts';

/** Where a PostgreSQL inbox lives, as read from a `--db postgres://…` URL. */
export interface PostgresLocation {
  readonly kind: 'postgres';
  /** The URL handed to node-postgres: our own parameters (`schema`, `pool`) removed. */
  readonly connectionString: string;
  /** The schema holding the inbox tables; null means the server's search_path (usually `public`). */
  readonly schema: string | null;
  /** Most connections one process opens. */
  readonly poolSize: number;
  /** The URL with any password removed, for messages and logs. */
  readonly display: string;
}

export const DEFAULT_POOL_SIZE = 10;
const MAX_POOL_SIZE = 100;
/** An unquoted PostgreSQL identifier, so it can be used in SQL and in a channel name as is. */
// 48 at most: the wake-up channel `sf_relay_inbox_<schema>` must stay within PostgreSQL's 63.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,47}$/;

/**
 * Reads `postgres://user:pass@host:port/db?schema=NAME&pool=N` (also `postgresql://`). Every
 * other parameter (`sslmode`, `application_name`, …) goes to node-postgres unchanged.
 */
export function parsePostgresUrl(url: string): PostgresLocation {
  const display = redactUrlCredentials(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InboxArgumentError('db', `${JSON.stringify(display)} is not a valid URL`);
  }
  const schema = parsed.searchParams.get('schema');
  if (schema !== null && !SCHEMA_NAME.test(schema)) {
    throw new InboxArgumentError(
      'db',
      `schema ${JSON.stringify(schema)} in ${JSON.stringify(display)} must be a lower-case identifier (a-z, 0-9, _; at most 48 characters)`,
    );
  }
  if (parsed.searchParams.has('options')) {
    // node-postgres lets a URL's `options` replace ours (search_path, read-only inspection).
    throw new InboxArgumentError(
      'db',
      `the options parameter in ${JSON.stringify(display)} is not supported: sf-relay sets the session options itself (use ?schema=NAME for the schema)`,
    );
  }
  const pool = parsed.searchParams.get('pool');
  const poolSize = pool === null ? DEFAULT_POOL_SIZE : Number(pool);
  if (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > MAX_POOL_SIZE) {
    throw new InboxArgumentError(
      'db',
      `pool=${String(pool)} in ${JSON.stringify(display)} must be a whole number from 1 to ${MAX_POOL_SIZE}`,
    );
  }
  parsed.searchParams.delete('schema');
  parsed.searchParams.delete('pool');
  return { kind: 'postgres', connectionString: parsed.toString(), schema, poolSize, display };
}
