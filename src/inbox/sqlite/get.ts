import type Database from 'better-sqlite3';
import type { InboxMessage } from '../inbox.ts';
import { toInboxMessage } from '../stored-row.ts';
import { LISTED_COLUMNS } from './columns.ts';

const GET = `SELECT ${LISTED_COLUMNS} FROM notifications WHERE id = :id`;

export type Get = (id: string) => InboxMessage | null;

export function prepareGet(db: Database.Database): Get {
  const get = db.prepare<{ id: string }, unknown>(GET);
  return (id) => {
    const row = get.get({ id });
    return row === undefined ? null : toInboxMessage(row);
  };
}
