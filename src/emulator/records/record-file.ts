import { messageOf, SfRelayError } from '../../shared/index.ts';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import type { StoredValue } from '../schema/types.ts';
import type { RecordChange } from './record-store.ts';

/** The emulator's data file cannot be opened or holds something it did not write. */
export class RecordFileError extends SfRelayError {
  readonly code = 'EMULATOR_DATA_FILE_INVALID';
}

export interface PersistedRecord {
  readonly type: string;
  readonly id: string;
  readonly values: Readonly<Record<string, StoredValue>>;
}

const rowSchema = z.object({
  id: z.string().length(18),
  type: z.string().min(1),
  record: z.string(),
});
const valuesSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

/**
 * Keeps the org's records in an SQLite file, so an emulator restarted on the same file finds
 * its Accounts and Opportunities again. Every change is written as it happens.
 */
export class RecordFile {
  readonly #db: Database.Database;
  readonly #upsert: Database.Statement<[string, string, string]>;
  readonly #setCounter: Database.Statement<[number]>;

  constructor(readonly path: string) {
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.#db = new Database(path);
      this.#db.pragma('journal_mode = WAL');
      this.#db.exec(`
        CREATE TABLE IF NOT EXISTS records (id TEXT PRIMARY KEY, type TEXT NOT NULL, record TEXT NOT NULL) STRICT;
        CREATE TABLE IF NOT EXISTS id_counter (only INTEGER PRIMARY KEY CHECK (only = 1), next INTEGER NOT NULL) STRICT;
      `);
    } catch (cause) {
      throw new RecordFileError(`cannot open the emulator data file ${path}: ${messageOf(cause)}`, {
        cause,
      });
    }
    this.#upsert = this.#db.prepare(
      'INSERT INTO records (id, type, record) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET type = excluded.type, record = excluded.record',
    );
    this.#setCounter = this.#db.prepare(
      'INSERT INTO id_counter (only, next) VALUES (1, ?) ON CONFLICT (only) DO UPDATE SET next = max(next, excluded.next)',
    );
  }

  /** Every stored record, in the order it was first written, and where the id counter stood. */
  load(): { records: PersistedRecord[]; nextId: number } {
    const rows = this.#db.prepare('SELECT id, type, record FROM records ORDER BY rowid').all();
    const records = rows.map((raw, index) => {
      const row = rowSchema.safeParse(raw);
      const values = row.success ? valuesSchema.safeParse(safeJson(row.data.record)) : undefined;
      if (!row.success || !values?.success) {
        throw new RecordFileError(
          `${this.path}: row ${index + 1} of the records table is not a record this emulator wrote`,
        );
      }
      return { id: row.data.id, type: row.data.type, values: values.data };
    });
    const counter = this.#db.prepare('SELECT next FROM id_counter WHERE only = 1').get() as
      { next: number } | undefined;
    return { records, nextId: counter?.next ?? 1 };
  }

  save(change: RecordChange, nextId: number): void {
    this.#db.transaction(() => {
      this.#upsert.run(
        change.after.id,
        change.after.type,
        JSON.stringify(Object.fromEntries(change.after.values)),
      );
      this.#setCounter.run(nextId);
    })();
  }

  close(): void {
    this.#db.close();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
