import type Database from 'better-sqlite3';

/** Guarded by the lease owner: a worker whose lease was taken over cannot finish the message. */
const COMPLETE = `
  UPDATE notifications
  SET state = 'done',
      completed_at = :now,
      updated_at = :now,
      next_attempt_at = NULL,
      lease_owner = NULL,
      lease_expires_at = NULL,
      -- A legacy SessionId is a live credential: drop it as soon as the message is finished.
      session_id = NULL
  WHERE id = :id
    AND state = 'processing'
    AND lease_owner = :owner`;

export type Complete = (id: string, owner: string, now: Date) => boolean;

export function prepareComplete(db: Database.Database): Complete {
  const complete = db.prepare<{ id: string; owner: string; now: number }>(COMPLETE);
  return (id, owner, now) => complete.run({ id, owner, now: now.getTime() }).changes === 1;
}
