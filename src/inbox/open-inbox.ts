import { resolve } from 'node:path';
import type { Clock } from '../clock.ts';
import { redactUrlCredentials } from '../config/index.ts';
import { InboxArgumentError } from './errors.ts';
import type { Inbox } from './inbox.ts';
import { migrateSqlite } from './sqlite/migrations.ts';
import { openSqliteDatabase } from './sqlite/open-database.ts';
import { openSqliteInbox } from './sqlite/sqlite-inbox.ts';
import { toInboxError } from './sqlite/unavailable.ts';

export type InboxLocation = { readonly kind: 'sqlite'; readonly path: string };

/**
 * Reads the `--db` URL (ARCHITECTURE.md): `sqlite:PATH` (`sqlite://PATH` is accepted too, so
 * `sqlite:///abs/path` works). `postgres://…` is recognised but not available yet.
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
  if (/^postgres(ql)?:\/\//.test(url)) {
    throw new InboxArgumentError(
      'db',
      'the PostgreSQL inbox is not available in this build yet; use sqlite:PATH',
    );
  }
  throw new InboxArgumentError(
    'db',
    `unsupported database URL ${JSON.stringify(redactUrlCredentials(url))}; use sqlite:PATH`,
  );
}

export interface OpenInboxOptions {
  readonly clock?: Clock;
  /** Inspect only: the database must already exist and is never written. */
  readonly readonly?: boolean;
}

/** Opens (creating and migrating as needed) the inbox a `--db` URL names. */
export function openInbox(url: string, options: OpenInboxOptions = {}): Inbox {
  const location = parseInboxUrl(url);
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
  const { path } = parseInboxUrl(url);
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
