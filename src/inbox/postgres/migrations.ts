import type pg from 'pg';
import { systemClock, type Clock } from '../../shared/index.ts';
import { InboxSchemaTooNewError } from '../errors.ts';

export interface PostgresMigration {
  readonly version: number;
  readonly name: string;
  /** Frozen once released: a later change is a new migration, never an edit of this text. */
  readonly sql: string;
}

/**
 * The same table and invariants as the SQLite store (see sqlite/migrations.ts): times are
 * epoch milliseconds in bigint, a processing row's `next_attempt_at` is its lease expiry, and
 * finished rows keep no SessionId. `fields` is `json`, not `jsonb`, so the sender's field
 * order survives.
 */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'notifications and health',
    sql: `
      CREATE TABLE notifications (
        seq              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id               text    NOT NULL UNIQUE,
        organization_id  text    NOT NULL,
        action_id        text    NOT NULL,
        object_type      text,
        record_id        text,
        fields           json    NOT NULL,
        session_id       text,
        enterprise_url   text    NOT NULL,
        partner_url      text    NOT NULL,
        received_at      bigint  NOT NULL,
        state            text    NOT NULL
                         CHECK (state IN ('received', 'processing', 'retry_wait', 'done', 'dead')),
        attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at  bigint,
        lease_owner      text,
        lease_expires_at bigint,
        last_error       text,
        updated_at       bigint  NOT NULL,
        completed_at     bigint,
        CHECK (state <> 'processing' OR (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL))
      );

      CREATE INDEX notifications_due ON notifications (next_attempt_at, seq)
        WHERE state IN ('received', 'retry_wait', 'processing');
      CREATE INDEX notifications_leased_record ON notifications (record_id, lease_expires_at)
        WHERE state = 'processing';
      CREATE INDEX notifications_state ON notifications (state, seq);
      CREATE INDEX notifications_record ON notifications (record_id, seq);
      CREATE INDEX notifications_session ON notifications (organization_id, received_at)
        WHERE session_id IS NOT NULL;

      CREATE TABLE health (
        id         integer PRIMARY KEY CHECK (id = 1),
        checked_at bigint  NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'refuse a notification id stored for another org, action or record',
    sql: `
      -- Called from the store's ON CONFLICT clause: raising there rolls the whole message back
      -- inside the one statement that stores it (see store-message.ts).
      CREATE FUNCTION sf_relay_refuse_conflict(notification_id text) RETURNS text
      LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'notification %', notification_id USING ERRCODE = 'SF409';
      END
      $$;
    `,
  },
  {
    version: 3,
    name: 'held state, per-claim lease tokens, replay budget',
    sql: `
      ALTER TABLE notifications DROP CONSTRAINT notifications_state_check;
      ALTER TABLE notifications ADD CONSTRAINT notifications_state_check
        CHECK (state IN ('received', 'processing', 'retry_wait', 'done', 'dead', 'held'));

      ALTER TABLE notifications ADD COLUMN lease_token text;
      -- A lease taken by an older sf-relay: a token nobody holds, so it simply runs out.
      UPDATE notifications SET lease_token = 'migrated.' || seq WHERE state = 'processing';
      ALTER TABLE notifications DROP CONSTRAINT notifications_check;
      ALTER TABLE notifications ADD CONSTRAINT notifications_lease_check
        CHECK (state <> 'processing'
               OR (lease_owner IS NOT NULL AND lease_token IS NOT NULL AND lease_expires_at IS NOT NULL));

      ALTER TABLE notifications ADD COLUMN attempts_since bigint;
      UPDATE notifications SET attempts_since = received_at;
      ALTER TABLE notifications ALTER COLUMN attempts_since SET NOT NULL;

      -- retention and purge: finished rows by age.
      CREATE INDEX notifications_finished ON notifications (state, updated_at)
        WHERE state IN ('done', 'dead', 'held');
    `,
  },
];

export const POSTGRES_SCHEMA_VERSION: number = POSTGRES_MIGRATIONS.reduce(
  (max, m) => Math.max(max, m.version),
  0,
);

/** Advisory lock key ('sfrl' in ASCII) taken while migrating, so starting processes queue up. */
const MIGRATION_LOCK = 0x7366726c;

export interface PostgresMigrationResult {
  readonly fromVersion: number;
  readonly toVersion: number;
  readonly applied: readonly number[];
}

type Queryable = Pick<pg.ClientBase, 'query'>;

/** The schema version in the current schema; 0 when the inbox was never created there. */
export async function readPostgresSchemaVersion(client: Queryable): Promise<number> {
  const table = await client.query<{ present: boolean }>(
    `SELECT to_regclass('schema_migrations') IS NOT NULL AS present`,
  );
  if (table.rows[0]?.present !== true) return 0;
  const row = await client.query<{ version: number | null }>(
    'SELECT max(version) AS version FROM schema_migrations',
  );
  return row.rows[0]?.version ?? 0;
}

/**
 * Brings the schema to `POSTGRES_SCHEMA_VERSION` in one transaction under an advisory lock:
 * PostgreSQL DDL is transactional, so a failed migration leaves nothing half-built, and two
 * processes starting together apply each migration once.
 */
export async function migratePostgres(
  client: pg.ClientBase,
  options: { schema: string | null; location: string; clock?: Clock },
): Promise<PostgresMigrationResult> {
  const clock = options.clock ?? systemClock;
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    if (options.schema !== null) {
      // Only when missing: CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when
      // the schema exists, which a least-privilege schema owner does not have.
      const missing = await client.query<{ missing: boolean }>(
        'SELECT to_regnamespace($1) IS NULL AS missing',
        [options.schema],
      );
      // The name was checked against an unquoted-identifier pattern (location.ts).
      if (missing.rows[0]?.missing === true)
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
    }
    const fromVersion = await readPostgresSchemaVersion(client);
    if (fromVersion > POSTGRES_SCHEMA_VERSION)
      throw new InboxSchemaTooNewError(options.location, fromVersion, POSTGRES_SCHEMA_VERSION);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)',
    );
    const applied: number[] = [];
    for (const migration of [...POSTGRES_MIGRATIONS].sort((a, b) => a.version - b.version)) {
      if (migration.version <= fromVersion) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
        migration.version,
        clock.now().toISOString(),
      ]);
      applied.push(migration.version);
    }
    await client.query('COMMIT');
    return { fromVersion, toVersion: Math.max(fromVersion, ...applied), applied };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
