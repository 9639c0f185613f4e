import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteInbox } from '../../src/inbox/index.ts';
import type { SqliteInbox } from '../../src/inbox/sqlite/sqlite-inbox.ts';
import { createLogger } from '../../src/shared/index.ts';
import { RetentionSweeper } from '../../src/worker/retention.ts';
import { opportunityId, opportunityNotification, outboundMessage } from '../inbox/messages.ts';
import { ManualClock } from '../inbox/manual-clock.ts';
import { runCli } from '../support/relay-process.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

const DAY_MS = 86_400_000;

let dir: TempDir | undefined;
let inbox: SqliteInbox | undefined;
afterEach(async () => {
  await inbox?.close();
  dir?.remove();
  inbox = dir = undefined;
});

/** An inbox with one notification in each of done, dead and held, finished `ageDays` ago, and one received. */
async function inboxWithFinishedRows(clock: ManualClock, path: string): Promise<SqliteInbox> {
  const store = openSqliteInbox(path, { clock });
  const [done, dead, held, live] = [1, 2, 3, 4].map((n) =>
    opportunityNotification(opportunityId(n)),
  );
  if (!done || !dead || !held || !live) throw new Error('expected four notifications');
  await store.store(outboundMessage([done, dead]));
  await store.store(outboundMessage([held]), {
    hold: new Map([[held.id, 'CONTRACT_MISMATCH: x']]),
  });
  const claimed = await store.claim({ owner: 'w', limit: 2, leaseMs: 60_000 });
  const token = (id: string): string => claimed.find((m) => m.id === id)?.leaseToken ?? '';
  await store.complete(done.id, token(done.id));
  await store.fail(dead.id, token(dead.id), { kind: 'permanent', error: 'x' });
  await store.store(outboundMessage([live]));
  return store;
}

describe('retention', () => {
  it('the sweep deletes done notifications past retention.doneDays, and keeps dead, held and live ones', async () => {
    dir = makeTempDir('sf-relay-retention-');
    const clock = new ManualClock();
    inbox = await inboxWithFinishedRows(clock, dir.file('relay.db'));
    const sweeper = new RetentionSweeper(inbox, clock, createLogger('silent'), 30);

    clock.advance(29 * DAY_MS);
    await expect(sweeper.sweep()).resolves.toBe(0);
    clock.advance(2 * DAY_MS);
    await expect(sweeper.sweep()).resolves.toBe(1);

    expect(await inbox.countByState()).toMatchObject({ done: 0, dead: 1, held: 1, received: 1 });
  });

  it('sf-relay purge deletes dead or held notifications on purpose, with a dry run first', async () => {
    dir = makeTempDir('sf-relay-purge-');
    const path = dir.file('relay.db');
    const clock = new ManualClock(new Date(Date.now() - 10 * DAY_MS));
    await (await inboxWithFinishedRows(clock, path)).close();
    const db = `sqlite:${path}`;

    const dry = await runCli([
      'purge',
      '--db',
      db,
      '--state',
      'dead',
      '--state',
      'held',
      '--older-than-days',
      '7',
      '--dry-run',
    ]);
    expect(dry).toMatchObject({ code: 0 });
    expect(dry.stdout).toMatch(/^would delete 2 dead\/held notifications last changed before /);
    const kept = await runCli(['purge', '--db', db, '--state', 'dead', '--older-than-days', '30']);
    expect(kept.stdout).toMatch(/^deleted 0 dead notifications/);
    const purged = await runCli(['purge', '--db', db, '--state', 'dead', '--older-than-days', '7']);
    expect(purged.stdout).toMatch(/^deleted 1 dead notification last changed/);

    const refused = await runCli(['purge', '--db', db, '--state', 'received']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/expected one of done, dead, held, got "received"/);
    const missing = await runCli(['purge', '--db', db]);
    expect(missing.stderr).toMatch(/--state/);

    inbox = openSqliteInbox(path);
    expect(await inbox.countByState()).toMatchObject({ done: 1, dead: 0, held: 1, received: 1 });
  });
});
