import pg from 'pg';
import { SfRelayError } from '../../shared/index.ts';
import { InboxUnavailableError } from '../errors.ts';

/**
 * What an operator can do about each PostgreSQL failure, keyed by SQLSTATE (or its class, the
 * first two characters) and by the socket error codes node-postgres passes through.
 */
const HINTS: Readonly<Record<string, string>> = {
  ECONNREFUSED:
    'nothing accepts connections there: is PostgreSQL running, and are host and port right?',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve',
  ETIMEDOUT: 'the server did not answer in time',
  ECONNRESET: 'the server closed the connection',
  '28P01': 'the password was refused',
  '28000': 'the server refused this user (check pg_hba.conf and the user name)',
  '3D000': 'the database does not exist; create it (createdb) or fix the URL',
  '3F000': 'the schema does not exist; run `sf-relay migrate --db URL` to create it',
  '42501':
    'the user lacks a privilege the inbox needs (CREATE on the schema, or DML on its tables)',
  '42P01': 'the inbox tables are missing; run `sf-relay migrate --db URL`',
  '53300': 'the server has no connection slots left (max_connections)',
  '53100': 'the server is out of disk space',
  '57P01': 'the server is shutting down',
  '57P03': 'the server is starting up or in recovery; try again shortly',
  '25006': 'the connection is read-only (a standby, or opened for inspection)',
  '08': 'the connection to the server failed',
};

function codeOf(error: unknown): string | null {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string')
    return error.code;
  return null;
}

/**
 * True when the connection itself is gone or unusable (socket errors, timeouts, the server
 * terminating the session): the client must be discarded, and no ROLLBACK can be sent on it.
 */
export function isConnectionLost(error: unknown): boolean {
  if (error instanceof SfRelayError) return false;
  if (!(error instanceof pg.DatabaseError)) return true;
  const code = error.code ?? '';
  return (
    error.severity === 'FATAL' ||
    error.severity === 'PANIC' ||
    code.startsWith('57P') ||
    code.startsWith('08')
  );
}

/** SQLSTATEs after which the same transaction, run again, may well succeed. */
export function isTransient(error: unknown): boolean {
  const code = codeOf(error);
  return code === '40P01' || code === '40001';
}

/**
 * Our typed errors pass through; anything node-postgres or the socket raised becomes an
 * `InboxUnavailableError` naming the (redacted) database and the code. The server's own
 * message never carries parameter values, so it is safe to show.
 */
export function toPostgresInboxError(error: unknown, operation: string, location: string): unknown {
  if (error instanceof SfRelayError) return error;
  if (!(error instanceof Error)) return error;
  const code = codeOf(error);
  const hint = code === null ? undefined : (HINTS[code] ?? HINTS[code.slice(0, 2)]);
  const message = error.message === '' ? error.name : error.message;
  return new InboxUnavailableError({
    operation,
    location,
    storeCode: code,
    reason: hint === undefined ? message : `${message} — ${hint}`,
    cause: error,
  });
}
