import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupedWrites } from '../../src/inbox/sqlite/grouped-writes.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

let dir: TempDir | undefined;
let db: Database.Database | undefined;
afterEach(() => {
  db?.close();
  dir?.remove();
});

function openCounter(): Database.Database {
  dir = makeTempDir('sf-relay-grouped-');
  db = new Database(dir.file('grouped.db'));
  db.pragma('journal_mode = WAL');
  db.exec(
    'CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL); INSERT INTO counter VALUES (1, 0);',
  );
  return db;
}

describe('GroupedWrites', () => {
  it('runs the writes of one turn in one transaction, each caller getting its own result', async () => {
    const database = openCounter();
    const writes = new GroupedWrites(database);
    const bump = database.prepare('UPDATE counter SET n = n + 1 WHERE id = 1');
    const seen: boolean[] = [];
    const step = (value: number) => (): number => {
      seen.push(database.inTransaction);
      bump.run();
      return value;
    };
    expect(
      await Promise.all([writes.run(step(1)), writes.run(step(2)), writes.run(step(3))]),
    ).toEqual([1, 2, 3]);
    expect(seen).toEqual([true, true, true]);
    expect(database.prepare('SELECT n FROM counter').pluck().get()).toBe(3);
  });

  it('undoes the whole group and rejects every caller in it when one step fails; the next turn is its own', async () => {
    const database = openCounter();
    const writes = new GroupedWrites(database);
    const bump = database.prepare('UPDATE counter SET n = n + 1 WHERE id = 1');
    const failing = writes.run(() => {
      throw new Error('disk full');
    });
    const sharing = writes.run(() => bump.run().changes);
    await expect(failing).rejects.toThrow('disk full');
    await expect(sharing).rejects.toThrow('disk full');
    expect(database.prepare('SELECT n FROM counter').pluck().get()).toBe(0);
    expect(await writes.run(() => bump.run().changes)).toBe(1);
    expect(database.prepare('SELECT n FROM counter').pluck().get()).toBe(1);
  });

  it('commits what is queued when flushed before the database closes', async () => {
    const database = openCounter();
    const writes = new GroupedWrites(database);
    const queued = writes.run(() => database.prepare('UPDATE counter SET n = 7').run().changes);
    writes.flush();
    database.close();
    expect(await queued).toBe(1);
  });
});
