import type pg from 'pg';
import type { InboxMessage, StateCounts } from '../inbox.ts';
import type { MessageState } from '../state-machine.ts';
import { tallyStates, unknownStateError } from '../tally-states.ts';
import { toInboxMessage } from '../stored-row.ts';
import { LISTED_COLUMNS } from './columns.ts';

type Queryable = Pick<pg.ClientBase, 'query'>;

export async function getMessage(db: Queryable, id: string): Promise<InboxMessage | null> {
  const result = await db.query(`SELECT ${LISTED_COLUMNS} FROM notifications WHERE id = $1`, [id]);
  const row: unknown = result.rows[0];
  return row === undefined ? null : toInboxMessage(row);
}

export interface ListQuery {
  readonly state: MessageState | undefined;
  readonly recordId: string | undefined;
  /** Already checked and clamped by the caller. */
  readonly limit: number;
}

export async function listMessages(db: Queryable, query: ListQuery): Promise<InboxMessage[]> {
  const conditions: string[] = [];
  const values: unknown[] = [];
  if (query.state !== undefined) {
    values.push(query.state);
    conditions.push(`state = $${values.length}`);
  }
  if (query.recordId !== undefined) {
    values.push(query.recordId);
    conditions.push(`record_id = $${values.length}`);
  }
  values.push(query.limit);
  const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
  const result = await db.query(
    `SELECT ${LISTED_COLUMNS} FROM notifications ${where} ORDER BY seq DESC LIMIT $${values.length}`,
    values,
  );
  return result.rows.map(toInboxMessage);
}

export async function countByState(db: Queryable): Promise<StateCounts> {
  const result = await db.query<{ state: string; count: number }>(
    `SELECT state, count(*)::int AS count FROM notifications GROUP BY state`,
  );
  const tally = tallyStates(result.rows);
  if ('counts' in tally) return tally.counts;
  const first = await db.query<{ id: string }>(
    'SELECT id FROM notifications WHERE state = $1 ORDER BY seq LIMIT 1',
    [tally.unknownState],
  );
  throw unknownStateError(first.rows[0]?.id, tally.unknownState);
}

/** Legacy mode: see sqlite/newer-session.ts. */
export async function newerSessionId(
  db: Queryable,
  organizationId: string,
  since: Date,
): Promise<string | null> {
  const result = await db.query<{ session_id: unknown }>(
    `SELECT session_id FROM notifications
     WHERE organization_id = $1 AND session_id IS NOT NULL AND received_at > $2
     ORDER BY received_at DESC, seq DESC
     LIMIT 1`,
    [organizationId, since.getTime()],
  );
  const value = result.rows[0]?.session_id;
  return typeof value === 'string' ? value : null;
}
