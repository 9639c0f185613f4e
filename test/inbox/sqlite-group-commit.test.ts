import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InboxUnavailableError, openSqliteInbox } from '../../src/inbox/index.ts';
import type { SqliteInbox } from '../../src/inbox/sqlite/sqlite-inbox.ts';
import { GroupCommit } from '../../src/inbox/group-commit.ts';
import type { OutboundMessage } from '../../src/soap/index.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';
import { waitFor } from '../support/wait-for.ts';
import { ManualClock } from './manual-clock.ts';
import { describeGroupCommitContract } from './group-commit-contract.ts';
import {
  notificationId,
  opportunityId,
  opportunityNotification,
  outboundMessage,
} from './messages.ts';

describe('GroupCommit', () => {
  it('commits stores issued in the same turn of the event loop as one group, in call order', async () => {
    const groups: string[][] = [];
    const group = new GroupCommit({
      commit: (messages) => {
        groups.push(messages.map((m) => m.message.actionId));
        return messages.map(() => ({
          ok: true,
          result: { received: 1, inserted: 1, duplicates: 0, held: 0, unusualDuplicates: [] },
        }));
      },
      toError: (error) => error,
    });
    const message = (n: number): OutboundMessage => ({
      ...outboundMessage([opportunityNotification(opportunityId(n))]),
      actionId: `action-${n}`,
    });

    const first = await Promise.all(
      [1, 2, 3].map((n) => group.store({ message: message(n), options: {} })),
    );
    const second = await group.store({ message: message(4), options: {} });

    expect(first).toHaveLength(3);
    expect(second.inserted).toBe(1);
    expect(groups).toEqual([['action-1', 'action-2', 'action-3'], ['action-4']]);
    expect(group.pending).toBe(0);
  });

  it('settles no caller before its group has committed', async () => {
    let committed = false;
    const group = new GroupCommit({
      commit: (messages) => {
        committed = true;
        return messages.map(() => ({
          ok: true,
          result: { received: 1, inserted: 1, duplicates: 0, held: 0, unusualDuplicates: [] },
        }));
      },
      toError: (error) => error,
    });
    const stored = group.store({
      message: outboundMessage([opportunityNotification(opportunityId(1))]),
      options: {},
    });
    expect(group.pending).toBe(1);
    await stored;
    expect(committed).toBe(true);
  });
  it('splits groups at the notification budget, keeping an oversized first message whole', async () => {
    const sizes: number[][] = [];
    const group = new GroupCommit({
      commit: (messages) => {
        sizes.push(messages.map((m) => m.message.notifications.length));
        return messages.map((m) => ({
          ok: true,
          result: {
            received: m.message.notifications.length,
            inserted: m.message.notifications.length,
            duplicates: 0,
            held: 0,
            unusualDuplicates: [],
          },
        }));
      },
      toError: (error) => error,
      maxNotifications: 5,
    });
    const message = (count: number): OutboundMessage =>
      outboundMessage(
        Array.from({ length: count }, (_, n) => opportunityNotification(opportunityId(n))),
      );

    await Promise.all(
      [3, 2, 1, 7, 4].map((n) => group.store({ message: message(n), options: {} })),
    );

    expect(sizes).toEqual([[3, 2], [1], [7], [4]]);
  });

  it('while every commit slot is busy, later stores wait and go out together in the next group', async () => {
    const groups: number[] = [];
    const releases: (() => void)[] = [];
    const group = new GroupCommit({
      commit: async (messages) => {
        groups.push(messages.length);
        await new Promise<void>((resolve) => releases.push(resolve));
        return messages.map(() => ({
          ok: true,
          result: { received: 1, inserted: 1, duplicates: 0, held: 0, unusualDuplicates: [] },
        }));
      },
      toError: (error) => error,
      maxInFlight: 1,
    });
    const store = (): Promise<unknown> =>
      group.store({
        message: outboundMessage([opportunityNotification(opportunityId(1))]),
        options: {},
      });

    const first = store();
    await waitFor(() => groups.length === 1, 'the first commit');
    const later = [store(), store()];
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(groups).toEqual([1]);
    expect(group.pending).toBe(2);
    releases.shift()?.();
    await first;
    await waitFor(() => groups.length === 2, 'the second commit');
    releases.shift()?.();
    await Promise.all(later);

    expect(groups).toEqual([1, 2]);
  });
});

describeGroupCommitContract('SqliteInbox', async () => {
  const dir = makeTempDir('sf-relay-group-');
  const path = dir.file('relay.db');
  const inbox = openSqliteInbox(path, { clock: new ManualClock() });
  return {
    inbox,
    storedIds: async () => {
      const db = new Database(path, { readonly: true });
      try {
        return db
          .prepare<[], { id: string }>('SELECT id FROM notifications ORDER BY seq')
          .all()
          .map((row) => row.id);
      } finally {
        db.close();
      }
    },
    cleanup: async () => {
      await inbox.close();
      dir.remove();
    },
  };
});

describe('SqliteInbox group commit on a real file', () => {
  let dir: TempDir;
  let path: string;
  let inbox: SqliteInbox;
  const raws: Database.Database[] = [];

  const raw = (): Database.Database => {
    const db = new Database(path);
    raws.push(db);
    return db;
  };
  const storedIds = (): string[] =>
    raw()
      .prepare<[], { id: string }>('SELECT id FROM notifications ORDER BY seq')
      .all()
      .map((row) => row.id);

  beforeEach(() => {
    dir = makeTempDir('sf-relay-group-');
    path = dir.file('relay.db');
    inbox = openSqliteInbox(path, { clock: new ManualClock() });
  });

  afterEach(async () => {
    await inbox.close();
    for (const db of raws.splice(0)) db.close();
    dir.remove();
  });

  it('when the group’s transaction fails, rejects every caller and stores nothing of any of them', async () => {
    const poisoned = notificationId();
    raw().exec(`
      CREATE TRIGGER refuse_one BEFORE INSERT ON notifications
      WHEN NEW.id = '${poisoned}'
      BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    const before = outboundMessage([opportunityNotification(opportunityId(1))]);
    const failing = outboundMessage([opportunityNotification(opportunityId(2), { id: poisoned })]);
    const after = outboundMessage([opportunityNotification(opportunityId(3))]);

    const outcomes = await Promise.allSettled([
      inbox.store(before),
      inbox.store(failing),
      inbox.store(after),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected')
        expect(outcome.reason).toBeInstanceOf(InboxUnavailableError);
    }
    expect(storedIds()).toEqual([]);
  });

  it('when the write lock cannot be taken, rejects every waiting caller', async () => {
    await inbox.close();
    inbox = openSqliteInbox(path, { clock: new ManualClock(), busyTimeoutMs: 0 });
    const other = raw();
    other.exec('BEGIN IMMEDIATE');

    const outcomes = await Promise.allSettled(
      [1, 2, 3].map((n) =>
        inbox.store(outboundMessage([opportunityNotification(opportunityId(n))])),
      ),
    );
    other.exec('ROLLBACK');

    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    expect(storedIds()).toEqual([]);
  });
});
