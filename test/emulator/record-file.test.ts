import Database from 'better-sqlite3';
import { Connection } from 'jsforce';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordFileError } from '../../src/emulator/records/record-file.ts';
import { startTestEmulator } from '../support/emulator.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

let dir: TempDir | undefined;
afterEach(() => {
  dir?.remove();
  dir = undefined;
});

describe('emulator records in an SQLite file', () => {
  it('finds its records, users and id sequence again after a restart', async () => {
    dir = makeTempDir();
    const dataFile = dir.file('org.db');
    const first = await startTestEmulator({ dataFile, outboundMessages: [] });
    const conn = new Connection({
      instanceUrl: first.url,
      accessToken: first.accessToken,
      version: '60.0',
    });
    const account = await conn.sobject('Account').create({ Name: 'Persisted' });
    await conn.sobject('Account').update({ Id: account.id ?? '', Name: 'Persisted and renamed' });
    const userId = first.users[0]?.id;
    await first.close();

    const second = await startTestEmulator({ dataFile, outboundMessages: [] });
    try {
      expect(second.users[0]?.id).toBe(userId);
      const again = new Connection({
        instanceUrl: second.url,
        accessToken: second.accessToken,
        version: '60.0',
      });
      const found = await again.query<{ Id: string; Name: string }>('SELECT Id, Name FROM Account');
      expect(found.records.map((r) => [r.Id, r.Name])).toEqual([
        [account.id, 'Persisted and renamed'],
      ]);
      const next = await again.sobject('Account').create({ Name: 'New' });
      expect(next.id).not.toBe(account.id);
      expect((await again.query('SELECT Id FROM User')).totalSize).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('refuses a data file holding rows it did not write', async () => {
    dir = makeTempDir();
    const dataFile = dir.file('org.db');
    const emulator = await startTestEmulator({ dataFile, outboundMessages: [] });
    await emulator.close();
    const db = new Database(dataFile);
    db.prepare(
      "INSERT INTO records (id, type, record) VALUES ('001000000000000AAA', 'Account', 'not json')",
    ).run();
    db.close();
    await expect(startTestEmulator({ dataFile, outboundMessages: [] })).rejects.toThrow(
      RecordFileError,
    );
  });
});
