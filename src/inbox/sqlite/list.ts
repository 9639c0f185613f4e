import type Database from 'better-sqlite3';
import type { InboxMessage } from '../inbox.ts';
import type { MessageState } from '../state-machine.ts';
import { toInboxMessage } from '../stored-row.ts';
import { LISTED_COLUMNS } from './columns.ts';

// One statement per filter combination, so each uses its index (an `(:x IS NULL OR …)`
// predicate would defeat them).
const LIST_ALL = `SELECT ${LISTED_COLUMNS} FROM notifications ORDER BY seq DESC LIMIT :limit`;
const LIST_BY_STATE = `
  SELECT ${LISTED_COLUMNS} FROM notifications
  WHERE state = :state
  ORDER BY seq DESC LIMIT :limit`;
const LIST_BY_RECORD = `
  SELECT ${LISTED_COLUMNS} FROM notifications
  WHERE record_id = :recordId
  ORDER BY seq DESC LIMIT :limit`;
const LIST_BY_STATE_AND_RECORD = `
  SELECT ${LISTED_COLUMNS} FROM notifications
  WHERE state = :state AND record_id = :recordId
  ORDER BY seq DESC LIMIT :limit`;

export interface ListQuery {
  readonly state: MessageState | undefined;
  readonly recordId: string | undefined;
  /** Already checked and clamped by the caller. */
  readonly limit: number;
}

export type List = (query: ListQuery) => InboxMessage[];

export function prepareList(db: Database.Database): List {
  const listAll = db.prepare<{ limit: number }, unknown>(LIST_ALL);
  const listByState = db.prepare<{ state: string; limit: number }, unknown>(LIST_BY_STATE);
  const listByRecord = db.prepare<{ recordId: string; limit: number }, unknown>(LIST_BY_RECORD);
  const listByBoth = db.prepare<{ state: string; recordId: string; limit: number }, unknown>(
    LIST_BY_STATE_AND_RECORD,
  );
  return ({ state, recordId, limit }) => {
    const rows =
      state !== undefined && recordId !== undefined
        ? listByBoth.all({ state, recordId, limit })
        : state !== undefined
          ? listByState.all({ state, limit })
          : recordId !== undefined
            ? listByRecord.all({ recordId, limit })
            : listAll.all({ limit });
    return rows.map(toInboxMessage);
  };
}
