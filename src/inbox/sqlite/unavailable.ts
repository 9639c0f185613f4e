import Database from 'better-sqlite3';
import { SfRelayError } from '../../shared/index.ts';
import { InboxUnavailableError } from '../errors.ts';

/**
 * What an operator can do about each SQLite failure class. Keyed by the primary result code,
 * so extended codes (`SQLITE_IOERR_FSYNC`, `SQLITE_BUSY_SNAPSHOT`) share their family's hint.
 */
const HINTS: Readonly<Record<string, string>> = {
  SQLITE_READONLY:
    'the database is read-only (file or directory permissions, a read-only mount, or opened read-only)',
  SQLITE_FULL: 'the disk is full',
  SQLITE_IOERR: 'the disk reported an I/O error',
  SQLITE_BUSY: 'another process held the write lock for longer than busy_timeout',
  SQLITE_LOCKED: 'another connection in this process holds a conflicting lock',
  SQLITE_CANTOPEN: 'the file cannot be opened (check the path and its permissions)',
  SQLITE_NOTADB: 'the file is not an SQLite database',
  SQLITE_CORRUPT: 'the database file is corrupt; restore it from a backup',
  SQLITE_CONSTRAINT: 'the database refused the write (a constraint or trigger failed)',
};

function primaryCode(code: string): string {
  const [prefix, family] = code.split('_');
  return `${prefix ?? ''}_${family ?? ''}`;
}

function errnoCode(error: unknown): string | null {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string')
    return error.code;
  return null;
}

/**
 * Turns whatever went wrong below the inbox into what callers branch on. Our own typed errors
 * pass through; database and file-system failures become `InboxUnavailableError` naming the
 * file and the code; anything else is a bug and is rethrown unchanged.
 */
export function toInboxError(error: unknown, operation: string, location: string): unknown {
  if (error instanceof SfRelayError) return error;
  if (error instanceof Database.SqliteError) {
    const hint = HINTS[primaryCode(error.code)];
    return new InboxUnavailableError({
      operation,
      location,
      storeCode: error.code,
      reason: hint === undefined ? error.message : `${error.message} — ${hint}`,
      cause: error,
    });
  }
  const code = errnoCode(error);
  if (code !== null && error instanceof Error) {
    // mkdir of the parent directory (EACCES, EROFS, ENOSPC): the store cannot exist there.
    return new InboxUnavailableError({
      operation,
      location,
      storeCode: code,
      reason: error.message,
      cause: error,
    });
  }
  return error;
}

export function closedError(operation: string, location: string): InboxUnavailableError {
  return new InboxUnavailableError({ operation, location, reason: 'the inbox has been closed' });
}
