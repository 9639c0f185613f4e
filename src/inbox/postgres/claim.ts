import type pg from 'pg';
import type { ClaimedMessage, ClaimOptions } from '../inbox.ts';
import { newLeaseToken } from '../lease-token.ts';
import { CLAIM as CLAIM_TRANSITION, EXHAUST, renderCondition, renderSet } from '../transitions.ts';
import { toPositional, valuesFor } from './bind.ts';
import { toClaimedMessage } from '../stored-row.ts';
import { CLAIMED_COLUMNS } from './columns.ts';

/**
 * The same candidate rule as SQLite's claim (due, record not under a live lease, only the
 * oldest due message of each record), with SKIP LOCKED so that concurrent claimers pass over
 * each other's rows instead of queueing behind them.
 */
const CANDIDATES = `
    SELECT candidate.seq AS candidate_seq, candidate.next_attempt_at AS due_at,
           candidate.attempts AS candidate_attempts
    FROM notifications AS candidate
    WHERE candidate.state IN ('received', 'retry_wait', 'processing')
      AND candidate.next_attempt_at <= :now
      AND NOT EXISTS (
        SELECT 1 FROM notifications AS held
        WHERE held.record_id = candidate.record_id
          AND held.state = 'processing'
          AND held.lease_expires_at > :now
      )
      AND NOT EXISTS (
        SELECT 1 FROM notifications AS earlier
        WHERE earlier.record_id = candidate.record_id
          AND earlier.state IN ('received', 'retry_wait', 'processing')
          AND earlier.next_attempt_at <= :now
          AND (earlier.next_attempt_at, earlier.seq) < (candidate.next_attempt_at, candidate.seq)
      )
    ORDER BY candidate.next_attempt_at, candidate.seq
    LIMIT :limit
    FOR UPDATE OF candidate SKIP LOCKED`;

/**
 * Candidates that used up their attempts go to dead (EXHAUST), the others are claimed (CLAIM),
 * in one statement: PostgreSQL runs every data-modifying CTE, and each row is touched by one of
 * them only (`:maxAttempts` NULL means no cap).
 */
const CLAIM = toPositional(`
  WITH candidate_rows AS (${CANDIDATES}),
  exhausted AS (
    UPDATE notifications
    SET ${renderSet(EXHAUST)}
    FROM candidate_rows
    WHERE seq = candidate_rows.candidate_seq
      AND candidate_rows.candidate_attempts >= :maxAttempts
      AND ${renderCondition(EXHAUST)}
    RETURNING seq
  )
  UPDATE notifications
  SET ${renderSet(CLAIM_TRANSITION)}
  FROM candidate_rows
  WHERE seq = candidate_rows.candidate_seq
    AND (:maxAttempts::integer IS NULL OR candidate_rows.candidate_attempts < :maxAttempts)
    AND ${renderCondition(CLAIM_TRANSITION)}
  RETURNING ${CLAIMED_COLUMNS}, candidate_rows.due_at::float8 AS due_at`);

/**
 * Why row locks are enough to serialise a record across processes: every claimer takes only
 * the earliest-due message of a record, and "due" is monotonic in that order, so two claimers
 * (whatever their snapshots) that both consider a record pick the same message and meet on
 * its row lock; the loser skips it and, next time, sees the committed lease.
 * One statement, so one round trip.
 */
export async function claimMessages(
  client: Pick<pg.ClientBase, 'query'>,
  request: ClaimOptions,
  now: number | null,
): Promise<ClaimedMessage[]> {
  const claimed = await client.query<{ seq: number; due_at: number }>(
    CLAIM.text,
    valuesFor(CLAIM, {
      now,
      limit: request.limit,
      owner: request.owner,
      leaseToken: newLeaseToken(),
      leaseMs: request.leaseMs,
      maxAttempts: request.maxAttempts ?? null,
    }),
  );
  // RETURNING has no order: put them back in claim order (due time, then arrival).
  return claimed.rows.sort((a, b) => a.due_at - b.due_at || a.seq - b.seq).map(toClaimedMessage);
}
