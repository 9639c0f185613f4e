import type pg from 'pg';
import type { Failure } from '../inbox.ts';

/**
 * The lease-guarded and operator transitions, written as in sqlite/complete.ts, fail.ts and
 * replay.ts (same guards, same columns cleared): only the parameter syntax differs.
 */
const COMPLETE = `
  UPDATE notifications
  SET state = 'done', completed_at = $3, updated_at = $3, next_attempt_at = NULL,
      lease_owner = NULL, lease_expires_at = NULL, session_id = NULL
  WHERE id = $1 AND state = 'processing' AND lease_owner = $2`;

const FAIL_RETRYABLE = `
  UPDATE notifications
  SET state = 'retry_wait', next_attempt_at = $5, last_error = $3, updated_at = $4,
      lease_owner = NULL, lease_expires_at = NULL
  WHERE id = $1 AND state = 'processing' AND lease_owner = $2`;

const FAIL_PERMANENT = `
  UPDATE notifications
  SET state = 'dead', completed_at = $4, last_error = $3, updated_at = $4, next_attempt_at = NULL,
      lease_owner = NULL, lease_expires_at = NULL, session_id = NULL
  WHERE id = $1 AND state = 'processing' AND lease_owner = $2`;

const REPLAY = `
  UPDATE notifications
  SET state = 'received', next_attempt_at = $2, updated_at = $2, completed_at = NULL,
      lease_owner = NULL, lease_expires_at = NULL
  WHERE id = $1 AND state = 'dead'`;

const REPLAY_DEAD = `
  UPDATE notifications
  SET state = 'received', next_attempt_at = $1, updated_at = $1, completed_at = NULL,
      lease_owner = NULL, lease_expires_at = NULL
  WHERE state = 'dead'`;

const TOUCH_HEALTH = `
  INSERT INTO health (id, checked_at) VALUES (1, $1)
  ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`;

type Queryable = Pick<pg.ClientBase, 'query'>;

export async function complete(
  db: Queryable,
  id: string,
  owner: string,
  now: Date,
): Promise<boolean> {
  return (await db.query(COMPLETE, [id, owner, now.getTime()])).rowCount === 1;
}

export async function fail(
  db: Queryable,
  id: string,
  owner: string,
  failure: Failure,
  now: Date,
): Promise<boolean> {
  const result =
    failure.kind === 'retryable'
      ? await db.query(FAIL_RETRYABLE, [
          id,
          owner,
          failure.error,
          now.getTime(),
          failure.retryAt.getTime(),
        ])
      : await db.query(FAIL_PERMANENT, [id, owner, failure.error, now.getTime()]);
  return result.rowCount === 1;
}

export async function replay(db: Queryable, id: string, now: Date): Promise<boolean> {
  return (await db.query(REPLAY, [id, now.getTime()])).rowCount === 1;
}

export async function replayDead(db: Queryable, now: Date): Promise<number> {
  return (await db.query(REPLAY_DEAD, [now.getTime()])).rowCount ?? 0;
}

export async function touchHealth(db: Queryable, now: Date): Promise<void> {
  await db.query(TOUCH_HEALTH, [now.getTime()]);
}
