import type Database from 'better-sqlite3';

/**
 * dead → received, due now. `last_error` is kept so the operator still sees why it died, and
 * `attempts` keeps counting claims across the replay.
 */
const REPLAY = `
  UPDATE notifications
  SET state = 'received',
      next_attempt_at = :now,
      updated_at = :now,
      completed_at = NULL,
      lease_owner = NULL,
      lease_expires_at = NULL
  WHERE id = :id
    AND state = 'dead'`;

const REPLAY_DEAD = `
  UPDATE notifications
  SET state = 'received',
      next_attempt_at = :now,
      updated_at = :now,
      completed_at = NULL,
      lease_owner = NULL,
      lease_expires_at = NULL
  WHERE state = 'dead'`;

export type Replay = (id: string, now: Date) => boolean;
export type ReplayDead = (now: Date) => number;

export function prepareReplay(db: Database.Database): Replay {
  const replay = db.prepare<{ id: string; now: number }>(REPLAY);
  return (id, now) => replay.run({ id, now: now.getTime() }).changes === 1;
}

export function prepareReplayDead(db: Database.Database): ReplayDead {
  const replayDead = db.prepare<{ now: number }>(REPLAY_DEAD);
  return (now) => replayDead.run({ now: now.getTime() }).changes;
}
