import { resolve } from 'node:path';
import type { Clock } from '../shared/index.ts';
import { redactUrlCredentials } from '../config/index.ts';
import { InboxArgumentError } from './errors.ts';
import type { Inbox } from './inbox.ts';
import { migrateSqlite } from './sqlite/migrations.ts';
import { openSqliteDatabase } from './sqlite/open-database.ts';
import { openSqliteInbox } from './sqlite/sqlite-inbox.ts';
import { toInboxError } from './sqlite/unavailable.ts';
import { parsePostgresUrl, type PostgresLocation } from './postgres/location.ts';

export type InboxLocation = { readonly kind: 'sqlite'; readonly path: string } | PostgresLocation;

const SUPPORTED = 'use sqlite:PATH or postgres://USER@HOST:PORT/DATABASE';

/**
 * Reads the `--db` URL (ARCHITECTURE.md): `sqlite:PATH` (`sqlite://PATH` is accepted too, so
 * `sqlite:///abs/path` works) or `postgres://…` / `postgresql://…` (see postgres/location.ts).
 */
export function parseInboxUrl(url: string): InboxLocation {
  if (url.startsWith('sqlite:')) {
    const rest = url.slice('sqlite:'.length);
    const path = rest.startsWith('//') ? rest.slice(2) : rest;
    if (path.length === 0)
      throw new InboxArgumentError(
        'db',
        `no file path in ${JSON.stringify(redactUrlCredentials(url))}; use sqlite:PATH`,
      );
    if (path === ':memory:')
      throw new InboxArgumentError('db', 'an in-memory inbox loses what it acked; use sqlite:PATH');
    return { kind: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return parsePostgresUrl(url);
  throw new InboxArgumentError(
    'db',
    `unsupported database URL ${JSON.stringify(redactUrlCredentials(url))}; ${SUPPORTED}`,
  );
}

export interface OpenInboxOptions {
  readonly clock?: Clock;
  /** Inspect only: the database must already exist and is never written. */
  readonly readonly?: boolean;
  /**
   * Create or upgrade the schema on open (default true). PostgreSQL only: operators who run
   * `sf-relay migrate` as a separate deployment step turn it off, and an old schema is then an
   * error. SQLite, a file owned by one relay, always migrates.
   */
  readonly migrate?: boolean;
}

/**
 * The PostgreSQL store and its driver (`pg`, the largest module a relay would load) come in
 * only for a PostgreSQL URL: a relay on SQLite starts faster and smaller without them.
 */
function loadPostgresStore(): Promise<typeof import('./postgres/postgres-inbox.ts')> {
  return import('./postgres/postgres-inbox.ts');
}

/** Opens (creating and migrating as needed) the inbox a `--db` URL names. */
export async function openInbox(url: string, options: OpenInboxOptions = {}): Promise<Inbox> {
  const location = parseInboxUrl(url);
  if (location.kind === 'postgres') {
    const { openPostgresInbox } = await loadPostgresStore();
    return openPostgresInbox(location, options);
  }
  return openSqliteInbox(location.path, { clock: options.clock, readonly: options.readonly });
}

export interface MigrateInboxResult {
  readonly fromVersion: number;
  /** The schema version after migrating. */
  readonly version: number;
  readonly applied: readonly number[];
}

/** `sf-relay migrate`: creates or upgrades the schema, without opening an inbox for work. */
export async function migrateInbox(
  url: string,
  options: OpenInboxOptions = {},
): Promise<MigrateInboxResult> {
  const location = parseInboxUrl(url);
  if (location.kind === 'postgres') {
    const { migratePostgresInbox } = await loadPostgresStore();
    const result = await migratePostgresInbox(location, options);
    return { fromVersion: result.fromVersion, version: result.toVersion, applied: result.applied };
  }
  const { path } = location;
  try {
    const db = openSqliteDatabase(path);
    try {
      const result = migrateSqlite(db, { clock: options.clock });
      return {
        fromVersion: result.fromVersion,
        version: result.toVersion,
        applied: result.applied,
      };
    } finally {
      db.close();
    }
  } catch (error) {
    throw toInboxError(error, 'migrate', resolve(path));
  }
}
