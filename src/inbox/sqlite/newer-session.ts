import type Database from 'better-sqlite3';

/**
 * The SessionId of the newest message from the same org received after `since`, for legacy
 * mode: when one message's session has expired, a later message carries a fresh one.
 */
const NEWER_SESSION = `
  SELECT session_id FROM notifications
  WHERE organization_id = :organizationId
    AND session_id IS NOT NULL
    AND received_at > :since
  ORDER BY received_at DESC, seq DESC
  LIMIT 1`;

export type NewerSessionId = (organizationId: string, since: Date) => string | null;

export function prepareNewerSessionId(db: Database.Database): NewerSessionId {
  const select = db.prepare<{ organizationId: string; since: number }, { session_id: unknown }>(
    NEWER_SESSION,
  );
  return (organizationId, since) => {
    const row = select.get({ organizationId, since: since.getTime() });
    return typeof row?.session_id === 'string' ? row.session_id : null;
  };
}
