import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

export interface OpenSqliteDatabaseOptions {
  /** Open without write access; writes fail with SQLITE_READONLY. */
  readonly readonly?: boolean;
  /** How long a statement waits for another connection's write lock before SQLITE_BUSY. */
  readonly busyTimeoutMs?: number;
}

function isInMemory(path: string): boolean {
  return path === '' || path === ':memory:';
}

/**
 * Opens an SQLite file configured for the inbox's durability promise. Throws the raw
 * better-sqlite3 / fs error; the caller decides how to report it.
 */
export function openSqliteDatabase(
  path: string,
  options: OpenSqliteDatabaseOptions = {},
): Database.Database {
  const readonly = options.readonly ?? false;
  if (!readonly && !isInMemory(path)) mkdirSync(dirname(path), { recursive: true });

  const db = new Database(path, { readonly, fileMustExist: readonly });
  try {
    // First, so that the pragmas below already wait for a concurrent writer instead of failing.
    db.pragma(
      `busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS))}`,
    );
    // journal_mode is stored in the file; a read-only connection can neither set nor need it.
    if (!readonly) db.pragma('journal_mode = WAL');
    // FULL in WAL mode fsyncs the WAL at every commit: the listener acks only what survives a
    // power cut (ARCHITECTURE.md: ack after commit, never before).
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // A wiped SessionId is overwritten with zeros in the file, not left in free space.
    db.pragma('secure_delete = ON');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
