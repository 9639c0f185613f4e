import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InboxSchemaTooNewError,
  InboxUnavailableError,
  MESSAGE_STATES,
  openSqliteInbox,
} from '../../src/inbox/index.ts';
import {
  SQLITE_MIGRATIONS,
  SQLITE_SCHEMA_VERSION,
  migrateSqlite,
  readSqliteSchemaVersion,
} from '../../src/inbox/sqlite/migrations.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';
import { ManualClock } from './manual-clock.ts';

describe('SQLite inbox migrations', () => {
  let dir: TempDir;
  let path: string;
  const opened: { close(): unknown }[] = [];

  function raw(options?: Database.Options): Database.Database {
    const db = new Database(path, options);
    opened.push(db);
    return db;
  }

  beforeEach(() => {
    dir = makeTempDir('sf-relay-migrations-');
    path = dir.file('relay.db');
  });

  afterEach(async () => {
    for (const handle of opened.splice(0)) await handle.close();
    dir.remove();
  });

  it('lists migrations in increasing order, the last one being SQLITE_SCHEMA_VERSION', () => {
    const versions = SQLITE_MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(versions.at(-1)).toBe(SQLITE_SCHEMA_VERSION);
  });

  it('brings a new database to the current version and records each migration with its time', () => {
    const db = raw();
    const clock = new ManualClock();

    const result = migrateSqlite(db, { clock });

    expect(result).toEqual({
      fromVersion: 0,
      toVersion: SQLITE_SCHEMA_VERSION,
      applied: SQLITE_MIGRATIONS.map((m) => m.version),
    });
    expect(
      db.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all(),
    ).toEqual(
      SQLITE_MIGRATIONS.map((m) => ({ version: m.version, applied_at: clock.now().toISOString() })),
    );
  });

  it('migrating an up-to-date database again applies nothing and changes nothing', () => {
    const db = raw();
    migrateSqlite(db);
    const schema = db.prepare('SELECT sql FROM sqlite_master ORDER BY name').all();

    expect(migrateSqlite(db)).toEqual({
      fromVersion: SQLITE_SCHEMA_VERSION,
      toVersion: SQLITE_SCHEMA_VERSION,
      applied: [],
    });
    openSqliteInbox(path).close();

    expect(db.prepare('SELECT sql FROM sqlite_master ORDER BY name').all()).toEqual(schema);
    expect(db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({
      n: SQLITE_MIGRATIONS.length,
    });
  });

  it('refuses a database migrated by a newer sf-relay, naming both versions', () => {
    migrateSqlite(raw());
    const newer = SQLITE_SCHEMA_VERSION + 1;
    raw()
      .prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)')
      .run(newer, new Date().toISOString());

    expect(() => migrateSqlite(raw())).toThrow(InboxSchemaTooNewError);
    let error: unknown;
    try {
      openSqliteInbox(path);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InboxSchemaTooNewError);
    if (!(error instanceof InboxSchemaTooNewError)) return;
    expect(error.code).toBe('INBOX_SCHEMA_TOO_NEW');
    expect(error.foundVersion).toBe(newer);
    expect(error.supportedVersion).toBe(SQLITE_SCHEMA_VERSION);
    expect(error.message).toContain(`version ${newer}`);
    expect(error.message).toContain(`version ${SQLITE_SCHEMA_VERSION}`);
    expect(() => openSqliteInbox(path, { readonly: true })).toThrow(InboxSchemaTooNewError);
  });

  it('a read-only open refuses a database whose schema is not current, and leaves it untouched', () => {
    raw().exec('CREATE TABLE unrelated (x INTEGER)');

    expect(() => openSqliteInbox(path, { readonly: true })).toThrow(InboxUnavailableError);
    expect(readSqliteSchemaVersion(raw())).toBe(0);
  });

  it('the state column accepts exactly the six message states, and a processing row only with its lease', () => {
    const db = raw();
    migrateSqlite(db);
    const insert = db.prepare(`
      INSERT INTO notifications (id, organization_id, action_id, fields, enterprise_url, partner_url,
                                 received_at, state, attempts_since, updated_at,
                                 lease_owner, lease_token, lease_expires_at)
      VALUES (?, '00D', '04k', '{}', 'e', 'p', 0, ?, 0, 0, ?, ?, ?)`);

    for (const state of MESSAGE_STATES)
      expect(() => insert.run(`id-${state}`, state, 'w', 't', 1)).not.toThrow();
    expect(() => insert.run('id-bogus', 'archived', null, null, null)).toThrow(/CHECK constraint/);
    expect(() => insert.run('id-no-token', 'processing', 'w', null, 1)).toThrow(/CHECK constraint/);
  });

  it('migrating a version 1 inbox keeps every row, its order and its state; a live old lease gets a token nobody holds', async () => {
    const db = raw();
    const [first] = SQLITE_MIGRATIONS;
    if (first === undefined) throw new Error('no migrations');
    db.exec(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
    );
    db.exec(first.sql);
    db.prepare(`INSERT INTO schema_migrations VALUES (1, '2026-01-01T00:00:00Z')`).run();
    const insert = db.prepare(`
      INSERT INTO notifications (id, organization_id, action_id, fields, enterprise_url, partner_url,
                                 received_at, state, attempts, next_attempt_at, lease_owner,
                                 lease_expires_at, updated_at)
      VALUES (?, '00D000000000001AAA', '04k000000000001AAA', '{}', 'e', 'p', 5, ?, 2, 9, ?, ?, 7)`);
    insert.run('04l000000000001AAA', 'received', null, null);
    insert.run('04l000000000002AAA', 'processing', 'old-worker', 9);
    insert.run('04l000000000003AAA', 'dead', null, null);

    expect(migrateSqlite(db)).toMatchObject({ fromVersion: 1, toVersion: SQLITE_SCHEMA_VERSION });

    const inbox = openSqliteInbox(path, { clock: new ManualClock(new Date(10)) });
    opened.push(inbox);
    const rows = (await inbox.list()).reverse();
    expect(
      rows.map((row) => [row.id, row.state, row.attempts, row.attemptsSince.getTime()]),
    ).toEqual([
      ['04l000000000001AAA', 'received', 2, 5],
      ['04l000000000002AAA', 'processing', 2, 5],
      ['04l000000000003AAA', 'dead', 2, 5],
    ]);
    // The old worker's lease cannot be finished by anyone; once it runs out, it is claimed again.
    await expect(inbox.complete('04l000000000002AAA', 'old-worker')).resolves.toBe(false);
    const claimed = await inbox.claim({ owner: 'new', limit: 5, leaseMs: 1000 });
    expect(claimed.map((message) => message.id)).toEqual([
      '04l000000000001AAA',
      '04l000000000002AAA',
    ]);
  });
});
