import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InboxRowInvalidError,
  InboxUnavailableError,
  openSqliteInbox,
  type Inbox,
} from '../../src/inbox/index.ts';
import type { SqliteInbox } from '../../src/inbox/sqlite/sqlite-inbox.ts';
import { openSqliteDatabase } from '../../src/inbox/sqlite/open-database.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';
import { describeInboxContract } from './inbox-contract.ts';
import { ManualClock } from './manual-clock.ts';
import {
  bareNotification,
  opportunityId,
  opportunityNotification,
  outboundMessage,
} from './messages.ts';

const LEASE_MS = 60_000;
const SESSION_ID = '00D000000000001!AQ4AQAnotherSecretSessionValue';

describeInboxContract('SqliteInbox', async (clock) => {
  const dir = makeTempDir('sf-relay-inbox-');
  const path = dir.file('relay.db');
  const inbox = openSqliteInbox(path, { clock });
  return {
    inbox,
    openSibling: async () => openSqliteInbox(path, { clock }),
    cleanup: async () => {
      await inbox.close();
      dir.remove();
    },
  };
});

describe('SqliteInbox on a real file', () => {
  let dir: TempDir;
  let path: string;
  let clock: ManualClock;
  const opened: { close(): unknown }[] = [];

  function open(options: { readonly?: boolean; busyTimeoutMs?: number } = {}): SqliteInbox {
    const inbox = openSqliteInbox(path, { clock, ...options });
    opened.push(inbox);
    return inbox;
  }

  /** A second, raw connection: what another process, or an operator with the sqlite3 shell, would do. */
  function raw(): Database.Database {
    const db = new Database(path);
    opened.push(db);
    return db;
  }

  beforeEach(() => {
    dir = makeTempDir('sf-relay-inbox-');
    path = dir.file('data/relay.db');
    clock = new ManualClock();
  });

  afterEach(async () => {
    for (const handle of opened.splice(0)) await handle.close();
    dir.remove();
  });

  it('creates the missing parent directory of the database file', () => {
    expect(existsSync(join(dir.path, 'data'))).toBe(false);
    open();
    expect(existsSync(path)).toBe(true);
  });

  it('opens the file in WAL mode with synchronous FULL, a 5 s busy timeout and foreign keys on', () => {
    const db = openSqliteDatabase(path);
    opened.push(db);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('rolls back every notification of a message when one insert fails', async () => {
    const inbox = open();
    // The third insert of the transaction fails, after two rows were already written in it.
    raw().exec(`
      CREATE TRIGGER fail_third_insert BEFORE INSERT ON notifications
      WHEN (SELECT count(*) FROM notifications) >= 2
      BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    const message = outboundMessage(
      [1, 2, 3].map((n) => opportunityNotification(opportunityId(n))),
    );

    await expect(inbox.store(message)).rejects.toBeInstanceOf(InboxUnavailableError);

    expect(await inbox.list()).toEqual([]);
    expect(await inbox.countByState()).toMatchObject({ received: 0 });
    raw().exec('DROP TRIGGER fail_third_insert');
    await expect(inbox.store(message)).resolves.toMatchObject({
      received: 3,
      inserted: 3,
      duplicates: 0,
    });
  });

  it('a failed store names the database file and the SQLite error code', async () => {
    const inbox = open();
    raw().exec(
      `CREATE TRIGGER refuse BEFORE INSERT ON notifications BEGIN SELECT RAISE(ABORT, 'refused'); END`,
    );

    const error: unknown = await inbox
      .store(outboundMessage([bareNotification()]))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(InboxUnavailableError);
    if (!(error instanceof InboxUnavailableError)) return;
    expect(error.code).toBe('INBOX_UNAVAILABLE');
    expect(error.storeCode).toBe('SQLITE_CONSTRAINT_TRIGGER');
    expect(error.location).toBe(path);
    expect(error.message).toContain(path);
    expect(error.message).toContain('SQLITE_CONSTRAINT_TRIGGER');
  });

  it('keeps stored messages and their state across close and reopen', async () => {
    const first = open();
    const notifications = [1, 2, 3].map((n) => opportunityNotification(opportunityId(n)));
    await first.store(outboundMessage(notifications, { sessionId: SESSION_ID }));
    const [claimed] = await first.claim({ owner: 'worker-a', limit: 1, leaseMs: LEASE_MS });
    if (claimed === undefined) throw new Error('expected a claim');
    await first.complete(claimed.id, claimed.leaseToken);
    const before = await first.list();
    await first.close();

    const reopened = open();

    expect(await reopened.list()).toEqual(before);
    expect(await reopened.countByState()).toMatchObject({ received: 2, done: 1 });
    const next = await reopened.claim({ owner: 'worker-b', limit: 5, leaseMs: LEASE_MS });
    expect(next.map((m) => m.sessionId)).toEqual([SESSION_ID, SESSION_ID]);
  });

  it('removes the SessionId from the file once a message is done or dead, and keeps it while it may retry', async () => {
    const inbox = open();
    const notifications = [1, 2, 3].map((n) => opportunityNotification(opportunityId(n)));
    const [done, dead, waiting] = notifications.map((n) => n.id);
    await inbox.store(outboundMessage(notifications, { sessionId: SESSION_ID }));
    const claimed = await inbox.claim({ owner: 'worker-a', limit: 3, leaseMs: LEASE_MS });
    const token = (id: string | undefined): string =>
      claimed.find((message) => message.id === id)?.leaseToken ?? '';
    await inbox.complete(done ?? '', token(done));
    await inbox.fail(dead ?? '', token(dead), { kind: 'permanent', error: 'x' });
    await inbox.fail(waiting ?? '', token(waiting), {
      kind: 'retryable',
      error: 'x',
      retryAt: clock.now(),
    });

    const rows = raw()
      .prepare<[], { id: string; session_id: string | null }>(
        'SELECT id, session_id FROM notifications',
      )
      .all();

    expect(Object.fromEntries(rows.map((row) => [row.id, row.session_id]))).toEqual({
      [done ?? '']: null,
      [dead ?? '']: null,
      [waiting ?? '']: SESSION_ID,
    });
  });

  it('a read-only inbox reads, is not writable, and rejects writes with SQLITE_READONLY', async () => {
    const writer = open();
    await writer.store(outboundMessage([bareNotification()]));

    const reader = open({ readonly: true });

    expect(await reader.list()).toHaveLength(1);
    await expect(reader.isWritable()).resolves.toBe(false);
    const error: unknown = await reader
      .store(outboundMessage([bareNotification()]))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InboxUnavailableError);
    expect(error instanceof InboxUnavailableError ? error.storeCode : null).toBe('SQLITE_READONLY');
    expect(await writer.list()).toHaveLength(1);
  });

  it('is not writable, and stores reject with SQLITE_BUSY, while another process holds the write lock', async () => {
    const inbox = open({ busyTimeoutMs: 0 });
    const other = raw();
    other.exec('BEGIN IMMEDIATE');

    await expect(inbox.isWritable()).resolves.toBe(false);
    const error: unknown = await inbox
      .store(outboundMessage([bareNotification()]))
      .catch((e: unknown) => e);
    expect(error instanceof InboxUnavailableError ? error.storeCode : error).toBe('SQLITE_BUSY');
    // Reads still work in WAL mode while a writer holds the lock.
    await expect(inbox.countByState()).resolves.toMatchObject({ received: 0 });

    other.exec('ROLLBACK');
    await expect(inbox.isWritable()).resolves.toBe(true);
  });

  it('refuses to open where no database file can be created', () => {
    const blocker = dir.file('not-a-directory');
    writeFileSync(blocker, 'a regular file where the database directory should be');

    expect(() => openSqliteInbox(join(blocker, 'relay.db'), { clock })).toThrow(
      InboxUnavailableError,
    );
  });

  describe('rows that fail validation', () => {
    let inbox: Inbox;
    let id: string;

    beforeEach(async () => {
      inbox = open();
      const notification = opportunityNotification(opportunityId(1));
      id = notification.id;
      await inbox.store(outboundMessage([notification]));
    });

    async function expectRowInvalid(read: () => Promise<unknown>, column: string): Promise<void> {
      const error: unknown = await read().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InboxRowInvalidError);
      if (!(error instanceof InboxRowInvalidError)) return;
      expect(error.code).toBe('INBOX_ROW_INVALID');
      expect(error.rowId).toBe(id);
      expect(error.column).toBe(column);
      expect(error.message).toContain(id);
      expect(error.message).toContain(column);
    }

    it('fields holding JSON of the wrong shape are reported with the row id and column', async () => {
      raw().prepare(`UPDATE notifications SET fields = '{"Amount": 1200}' WHERE id = ?`).run(id);

      await expectRowInvalid(() => inbox.get(id), 'fields');
      await expectRowInvalid(() => inbox.list(), 'fields');
    });

    it('fields that are not JSON at all are reported with the row id and column', async () => {
      const db = raw();
      // The schema's CHECK (json_valid) stops this; an outside tool that disables checks does not.
      db.pragma('ignore_check_constraints = ON');
      db.prepare(`UPDATE notifications SET fields = 'not json' WHERE id = ?`).run(id);

      await expectRowInvalid(() => inbox.get(id), 'fields');
    });

    it('an unknown state is reported by reads and by counts', async () => {
      const db = raw();
      db.pragma('ignore_check_constraints = ON');
      db.prepare(`UPDATE notifications SET state = 'archived' WHERE id = ?`).run(id);

      await expectRowInvalid(() => inbox.get(id), 'state');
      await expectRowInvalid(() => inbox.countByState(), 'state');
    });

    it('a processing row without a lease owner is reported', async () => {
      await inbox.claim({ owner: 'worker-a', limit: 1, leaseMs: LEASE_MS });
      const db = raw();
      // The table's CHECK refuses it; a damaged or hand-edited file might still hold one.
      db.pragma('ignore_check_constraints = ON');
      db.prepare(`UPDATE notifications SET lease_owner = NULL WHERE id = ?`).run(id);

      await expectRowInvalid(() => inbox.get(id), 'lease_owner');
    });

    it('a claimed row that fails validation rolls the claim back', async () => {
      raw().prepare(`UPDATE notifications SET fields = '[1, 2]' WHERE id = ?`).run(id);

      await expectRowInvalid(
        () => inbox.claim({ owner: 'worker-a', limit: 1, leaseMs: LEASE_MS }),
        'fields',
      );

      const state = raw().prepare<[string], { state: string; attempts: number }>(
        'SELECT state, attempts FROM notifications WHERE id = ?',
      );
      expect(state.get(id)).toEqual({ state: 'received', attempts: 0 });
    });
  });
});
