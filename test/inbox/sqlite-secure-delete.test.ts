import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase } from '../../src/inbox/sqlite/open-database.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

let dir: TempDir | undefined;
afterEach(() => dir?.remove());

describe('the SQLite inbox file', () => {
  it('keeps no trace of a SessionId once it is wiped (secure_delete)', () => {
    dir = makeTempDir('sf-relay-secure-delete-');
    const path = dir.file('relay.db');
    const secret = '00D5g000004XyZ1!AQwipedSessionValue0123456789';
    const db = openSqliteDatabase(path);
    try {
      db.exec('CREATE TABLE sessions (id TEXT PRIMARY KEY, session_id TEXT, padding TEXT)');
      const insert = db.prepare('INSERT INTO sessions VALUES (?, ?, ?)');
      for (let i = 0; i < 20; i++) insert.run(`n${i}`, i === 7 ? secret : null, 'x'.repeat(200));
      db.pragma('wal_checkpoint(TRUNCATE)');
      expect(readFileSync(path).includes(secret)).toBe(true);

      db.prepare('UPDATE sessions SET session_id = NULL WHERE id = ?').run('n7');
      db.pragma('wal_checkpoint(TRUNCATE)');
      expect(readFileSync(path).includes(secret)).toBe(false);
    } finally {
      db.close();
    }
  });
});
