import type Database from 'better-sqlite3';
import type { ClaimedMessage } from '../inbox.ts';
import { toClaimedMessage } from '../stored-row.ts';
import { CLAIM, EXHAUST, renderUpdate } from '../transitions.ts';
import { newLeaseToken } from '../lease-token.ts';

/**
 * Due messages in claim order. A processing row's `next_attempt_at` equals its lease expiry,
 * so "received, retry_wait whose time came, or processing whose lease ran out" is one range.
 * INDEXED BY: without statistics the planner prefers `notifications_state` and sorts every
 * due row (~150 ms per claim at 100k rows); walking `notifications_due` in order lets LIMIT
 * stop after the first few (well under 1 ms).
 */
const SELECT_CLAIMABLE = `
  SELECT candidate.seq, candidate.attempts
  FROM notifications AS candidate INDEXED BY notifications_due
  WHERE candidate.state IN ('received', 'retry_wait', 'processing')
    AND candidate.next_attempt_at <= :now
    -- Per-record serialisation: while a live lease holds a record, its other messages wait,
    -- so two workers never write the same Opportunity at once.
    AND NOT EXISTS (
      SELECT 1 FROM notifications AS held
      WHERE held.record_id = candidate.record_id
        AND held.state = 'processing'
        AND held.lease_expires_at > :now
    )
    -- At most one message per record per claim: only its oldest due one.
    -- (A NULL record_id equals nothing, so record-less messages are never serialised.)
    AND NOT EXISTS (
      SELECT 1 FROM notifications AS earlier
      WHERE earlier.record_id = candidate.record_id
        AND earlier.state IN ('received', 'retry_wait', 'processing')
        AND earlier.next_attempt_at <= :now
        AND (earlier.next_attempt_at, earlier.seq) < (candidate.next_attempt_at, candidate.seq)
    )
  ORDER BY candidate.next_attempt_at, candidate.seq
  LIMIT :limit`;

const CLAIM_ONE = `${renderUpdate(CLAIM, 'seq = :seq')}
  RETURNING *`;
const EXHAUST_ONE = renderUpdate(EXHAUST, 'seq = :seq');

export interface ClaimRequest {
  readonly owner: string;
  readonly limit: number;
  readonly leaseMs: number;
  readonly maxAttempts?: number | undefined;
}

export type Claim = (request: ClaimRequest, now: Date) => ClaimedMessage[];

/**
 * Select and update inside one IMMEDIATE transaction: SQLite admits one writer per file, so a
 * second process (another SqliteInbox on the same file) claims only after this commits and
 * then sees these rows as leased.
 */
export function prepareClaim(db: Database.Database): Claim {
  const selectClaimable = db.prepare<
    { now: number; limit: number },
    { seq: number; attempts: number }
  >(SELECT_CLAIMABLE);
  const claimOne = db.prepare<
    { seq: number; owner: string; leaseToken: string; leaseMs: number; now: number },
    unknown
  >(CLAIM_ONE);
  const exhaustOne = db.prepare<{ seq: number; maxAttempts: number; now: number }>(EXHAUST_ONE);
  const claimAll = db.transaction((request: ClaimRequest, now: number): ClaimedMessage[] => {
    const candidates = selectClaimable.all({ now, limit: request.limit });
    const leaseToken = newLeaseToken();
    const claimed: ClaimedMessage[] = [];
    const { maxAttempts } = request;
    for (const { seq, attempts } of candidates) {
      if (maxAttempts !== undefined && attempts >= maxAttempts) {
        exhaustOne.run({ seq, maxAttempts, now });
        continue;
      }
      const row = claimOne.get({
        seq,
        owner: request.owner,
        leaseToken,
        leaseMs: request.leaseMs,
        now,
      });
      if (row !== undefined) claimed.push(toClaimedMessage(row));
    }
    return claimed;
  });
  return (request, now) => (request.limit === 0 ? [] : claimAll.immediate(request, now.getTime()));
}
