import type pg from 'pg';
import type { ClaimedMessage } from '../inbox.ts';
import { toClaimedMessage } from '../stored-row.ts';
import { CLAIMED_COLUMNS } from './columns.ts';

/**
 * The same candidate rule as SQLite's claim (due, record not under a live lease, only the
 * oldest due message of each record), with SKIP LOCKED so that concurrent claimers pass over
 * each other's rows instead of queueing behind them.
 */
const CLAIM = `
  WITH candidate_rows AS (
    SELECT candidate.seq AS candidate_seq, candidate.next_attempt_at AS due_at
    FROM notifications AS candidate
    WHERE candidate.state IN ('received', 'retry_wait', 'processing')
      AND candidate.next_attempt_at <= $1
      AND NOT EXISTS (
        SELECT 1 FROM notifications AS held
        WHERE held.record_id = candidate.record_id
          AND held.state = 'processing'
          AND held.lease_expires_at > $1
      )
      AND NOT EXISTS (
        SELECT 1 FROM notifications AS earlier
        WHERE earlier.record_id = candidate.record_id
          AND earlier.state IN ('received', 'retry_wait', 'processing')
          AND earlier.next_attempt_at <= $1
          AND (earlier.next_attempt_at, earlier.seq) < (candidate.next_attempt_at, candidate.seq)
      )
    ORDER BY candidate.next_attempt_at, candidate.seq
    LIMIT $2
    FOR UPDATE OF candidate SKIP LOCKED
  )
  UPDATE notifications AS claimed
  SET state = 'processing',
      lease_owner = $3,
      lease_expires_at = $4,
      next_attempt_at = $4,
      attempts = claimed.attempts + 1,
      updated_at = $1
  FROM candidate_rows
  WHERE claimed.seq = candidate_rows.candidate_seq
  RETURNING ${CLAIMED_COLUMNS}, candidate_rows.due_at::float8 AS due_at`;

/**
 * Why row locks are enough to serialise a record across processes: every claimer takes only
 * the earliest-due message of a record, and "due" is monotonic in that order, so two claimers
 * (whatever their snapshots or clocks) that both consider a record pick the same message and
 * meet on its row lock; the loser skips it and, next time, sees the committed lease.
 * One statement, so one round trip and its own transaction.
 */
export async function claimMessages(
  client: Pick<pg.ClientBase, 'query'>,
  owner: string,
  limit: number,
  leaseMs: number,
  now: Date,
): Promise<ClaimedMessage[]> {
  const at = now.getTime();
  const claimed = await client.query<{ seq: number; due_at: number }>(CLAIM, [
    at,
    limit,
    owner,
    at + leaseMs,
  ]);
  // RETURNING has no order: put them back in claim order (due time, then arrival).
  return claimed.rows.sort((a, b) => a.due_at - b.due_at || a.seq - b.seq).map(toClaimedMessage);
}
