import type Database from 'better-sqlite3';

/**
 * A real commit, not a SELECT: a full disk, a read-only mount or a writer holding the lock
 * past busy_timeout only show up when something is written (and, with synchronous=FULL, fsynced).
 */
const TOUCH_HEALTH = `
  INSERT INTO health (id, checked_at) VALUES (1, :now)
  ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`;

export type TouchHealth = (now: Date) => void;

export function prepareTouchHealth(db: Database.Database): TouchHealth {
  const touch = db.prepare<{ now: number }>(TOUCH_HEALTH);
  const touchInTransaction = db.transaction((now: number) => {
    touch.run({ now });
  });
  return (now) => {
    touchInTransaction.immediate(now.getTime());
  };
}
