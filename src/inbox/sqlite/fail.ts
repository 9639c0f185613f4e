import type Database from 'better-sqlite3';
import type { Failure } from '../inbox.ts';

/** The SessionId is kept: the retry may still need it (legacy orgs). */
const FAIL_RETRYABLE = `
  UPDATE notifications
  SET state = 'retry_wait',
      next_attempt_at = :retryAt,
      last_error = :error,
      updated_at = :now,
      lease_owner = NULL,
      lease_expires_at = NULL
  WHERE id = :id
    AND state = 'processing'
    AND lease_owner = :owner`;

const FAIL_PERMANENT = `
  UPDATE notifications
  SET state = 'dead',
      completed_at = :now,
      last_error = :error,
      updated_at = :now,
      next_attempt_at = NULL,
      lease_owner = NULL,
      lease_expires_at = NULL,
      -- A dead message is finished until an operator replays it; its SessionId goes now.
      session_id = NULL
  WHERE id = :id
    AND state = 'processing'
    AND lease_owner = :owner`;

export type Fail = (id: string, owner: string, failure: Failure, now: Date) => boolean;

export function prepareFail(db: Database.Database): Fail {
  const failRetryable = db.prepare<{
    id: string;
    owner: string;
    error: string;
    retryAt: number;
    now: number;
  }>(FAIL_RETRYABLE);
  const failPermanent = db.prepare<{ id: string; owner: string; error: string; now: number }>(
    FAIL_PERMANENT,
  );
  return (id, owner, failure, now) => {
    const params = { id, owner, error: failure.error, now: now.getTime() };
    const result =
      failure.kind === 'retryable'
        ? failRetryable.run({ ...params, retryAt: failure.retryAt.getTime() })
        : failPermanent.run(params);
    return result.changes === 1;
  };
}
