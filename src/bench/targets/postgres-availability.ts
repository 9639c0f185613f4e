import { connect } from 'node:net';
import { InboxArgumentError, parseInboxUrl } from '../../inbox/index.ts';

export const DEFAULT_BENCH_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export type Availability =
  { readonly available: true } | { readonly available: false; readonly reason: string };

/**
 * sf-relay-postgres runs only when this build has a PostgreSQL inbox AND a server answers at
 * the URL's host and port; otherwise the report says which of the two was missing.
 */
export async function postgresAvailability(url: string): Promise<Availability> {
  try {
    parseInboxUrl(url);
  } catch (error) {
    if (error instanceof InboxArgumentError)
      return { available: false, reason: `not measured: ${error.message}` };
    throw error;
  }
  const parsed = new URL(url);
  const host = parsed.hostname || '127.0.0.1';
  const port = Number(parsed.port || 5432);
  const reachable = await new Promise<boolean>((done) => {
    const socket = connect({ host, port, timeout: 1000 });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      done(false);
    });
    socket.once('error', () => done(false));
  });
  return reachable
    ? { available: true }
    : { available: false, reason: `not measured: no PostgreSQL answers at ${host}:${port}` };
}
