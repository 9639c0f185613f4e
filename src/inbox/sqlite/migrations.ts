import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { systemClock, type Clock } from '../../shared/index.ts';
import { InboxSchemaTooNewError } from '../errors.ts';

export interface SqliteMigration {
  readonly version: number;
  readonly name: string;
  /** Frozen once released: a later change is a new migration, never an edit of this text. */
  readonly sql: string;
}

/**
 * Invariants the code relies on, kept here beside the schema:
 * - times are integer epoch milliseconds;
 * - a `processing` row has `next_attempt_at = lease_expires_at`, so "due" is one indexed
 *   comparison for every claimable state (a crashed worker's message is due when its lease ends);
 * - `done` and `dead` rows have no `session_id` (a SessionId is a credential, kept only while needed);
 * - a `processing` row holds a lease: owner, fencing token and expiry;
 * - `held` rows are never due (`next_attempt_at` NULL): only a replay sends them to the worker.
 */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'notifications and health',
    sql: `
      CREATE TABLE notifications (
        seq              INTEGER PRIMARY KEY AUTOINCREMENT,
        id               TEXT    NOT NULL UNIQUE,
        organization_id  TEXT    NOT NULL,
        action_id        TEXT    NOT NULL,
        object_type      TEXT,
        record_id        TEXT,
        fields           TEXT    NOT NULL CHECK (json_valid(fields)),
        session_id       TEXT,
        enterprise_url   TEXT    NOT NULL,
        partner_url      TEXT    NOT NULL,
        received_at      INTEGER NOT NULL,
        state            TEXT    NOT NULL
                         CHECK (state IN ('received', 'processing', 'retry_wait', 'done', 'dead')),
        attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at  INTEGER,
        lease_owner      TEXT,
        lease_expires_at INTEGER,
        last_error       TEXT,
        updated_at       INTEGER NOT NULL,
        completed_at     INTEGER
      ) STRICT;

      -- claim: due rows in claim order, straight off the index.
      CREATE INDEX notifications_due ON notifications (next_attempt_at, seq)
        WHERE state IN ('received', 'retry_wait', 'processing');
      -- claim: is this record held by a live lease?
      CREATE INDEX notifications_leased_record ON notifications (record_id, lease_expires_at)
        WHERE state = 'processing';
      -- list by state (newest first) and countByState.
      CREATE INDEX notifications_state ON notifications (state, seq);
      -- list by record; claim: is there an older due message for the same record?
      CREATE INDEX notifications_record ON notifications (record_id, seq);

      -- One row, rewritten by isWritable() to prove a commit reaches the disk.
      CREATE TABLE health (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        checked_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'held state, per-claim lease tokens, replay budget',
    // SQLite cannot change a CHECK constraint in place: the table is rebuilt (same rows, same
    // seq values, so claim order and AUTOINCREMENT carry on) inside the migration's transaction.
    sql: `
      CREATE TABLE notifications_v2 (
        seq              INTEGER PRIMARY KEY AUTOINCREMENT,
        id               TEXT    NOT NULL UNIQUE,
        organization_id  TEXT    NOT NULL,
        action_id        TEXT    NOT NULL,
        object_type      TEXT,
        record_id        TEXT,
        fields           TEXT    NOT NULL CHECK (json_valid(fields)),
        session_id       TEXT,
        enterprise_url   TEXT    NOT NULL,
        partner_url      TEXT    NOT NULL,
        received_at      INTEGER NOT NULL,
        state            TEXT    NOT NULL
                         CHECK (state IN ('received', 'processing', 'retry_wait', 'done', 'dead', 'held')),
        attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        attempts_since   INTEGER NOT NULL,
        next_attempt_at  INTEGER,
        lease_owner      TEXT,
        lease_token      TEXT,
        lease_expires_at INTEGER,
        last_error       TEXT,
        updated_at       INTEGER NOT NULL,
        completed_at     INTEGER,
        CHECK (state <> 'processing'
               OR (lease_owner IS NOT NULL AND lease_token IS NOT NULL AND lease_expires_at IS NOT NULL))
      ) STRICT;

      INSERT INTO notifications_v2 (
        seq, id, organization_id, action_id, object_type, record_id, fields, session_id,
        enterprise_url, partner_url, received_at, state, attempts, attempts_since,
        next_attempt_at, lease_owner, lease_token, lease_expires_at, last_error, updated_at,
        completed_at)
      SELECT
        seq, id, organization_id, action_id, object_type, record_id, fields, session_id,
        enterprise_url, partner_url, received_at, state, attempts, received_at,
        next_attempt_at, lease_owner,
        -- A lease taken by an older sf-relay: a token nobody holds, so it simply runs out.
        CASE WHEN state = 'processing' THEN 'migrated.' || seq END,
        lease_expires_at, last_error, updated_at, completed_at
      FROM notifications;

      DROP TABLE notifications;
      ALTER TABLE notifications_v2 RENAME TO notifications;

      CREATE INDEX notifications_due ON notifications (next_attempt_at, seq)
        WHERE state IN ('received', 'retry_wait', 'processing');
      CREATE INDEX notifications_leased_record ON notifications (record_id, lease_expires_at)
        WHERE state = 'processing';
      CREATE INDEX notifications_state ON notifications (state, seq);
      CREATE INDEX notifications_record ON notifications (record_id, seq);
      -- retention and purge: finished rows by age.
      CREATE INDEX notifications_finished ON notifications (state, updated_at)
        WHERE state IN ('done', 'dead', 'held');
    `,
  },
];

export const SQLITE_SCHEMA_VERSION: number = SQLITE_MIGRATIONS.reduce(
  (max, m) => Math.max(max, m.version),
  0,
);

export interface MigrationResult {
  readonly fromVersion: number;
  readonly toVersion: number;
  /** Versions applied by this call (empty when the schema was already current). */
  readonly applied: readonly number[];
}

/** The schema version recorded in the database; 0 for a database the inbox never touched. */
export function readSqliteSchemaVersion(db: Database.Database): number {
  const table = db
    .prepare<[], { name: string }>(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`,
    )
    .get();
  if (table === undefined) return 0;
  const row = db
    .prepare<[], { version: number | null }>(
      'SELECT max(version) AS version FROM schema_migrations',
    )
    .get();
  return row?.version ?? 0;
}

function location(db: Database.Database): string {
  return db.memory ? db.name : resolve(db.name);
}

/**
 * Brings the schema to `SQLITE_SCHEMA_VERSION`. Each migration runs in its own IMMEDIATE
 * transaction and re-reads the version inside it, so two processes starting together apply
 * each migration once. Throws `InboxSchemaTooNewError` for a database from a newer sf-relay.
 */
export function migrateSqlite(
  db: Database.Database,
  options: { clock?: Clock } = {},
): MigrationResult {
  const clock = options.clock ?? systemClock;
  const fromVersion = readSqliteSchemaVersion(db);
  if (fromVersion > SQLITE_SCHEMA_VERSION)
    throw new InboxSchemaTooNewError(location(db), fromVersion, SQLITE_SCHEMA_VERSION);
  if (fromVersion === SQLITE_SCHEMA_VERSION)
    return { fromVersion, toVersion: fromVersion, applied: [] };

  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
  );
  const applied: number[] = [];
  const ordered = [...SQLITE_MIGRATIONS].sort((a, b) => a.version - b.version);
  for (const migration of ordered) {
    const apply = db.transaction(() => {
      const current = readSqliteSchemaVersion(db);
      if (current > SQLITE_SCHEMA_VERSION)
        throw new InboxSchemaTooNewError(location(db), current, SQLITE_SCHEMA_VERSION);
      if (current >= migration.version) return;
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
        migration.version,
        clock.now().toISOString(),
      );
      applied.push(migration.version);
    });
    apply.immediate();
  }
  return { fromVersion, toVersion: readSqliteSchemaVersion(db), applied };
}
