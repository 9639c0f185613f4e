import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseInboxUrl } from '../inbox/index.ts';

/**
 * Why a command that reads the inbox cannot: a SQLite file that does not exist yet (opening it
 * would create an empty inbox and answer "nothing here", hiding a wrong path or folder).
 * Undefined when the inbox is there, or is PostgreSQL (whose errors say enough).
 */
export function missingInbox(db: string, command: string): string | undefined {
  const location = parseInboxUrl(db);
  if (location.kind !== 'sqlite' || existsSync(location.path)) return undefined;
  return (
    `sf-relay ${command}: no inbox at ${location.path} (resolved to ${resolve(location.path)}): ` +
    'start the relay first (sf-relay start or sf-relay dev creates it), or pass --db\n'
  );
}
