import type pg from 'pg';
import type { OutboundMessage } from '../../soap/index.ts';
import type { StoreResult } from '../inbox.ts';
import { assertSameNotification } from '../same-notification.ts';

/**
 * The whole message in one statement: arrays unnested in message order (WITH ORDINALITY), so
 * `seq` follows arrival like SQLite's. A known id is left untouched (Salesforce redelivers
 * until it sees an Ack); a concurrent insert of the same id waits for the other transaction
 * and then counts as a duplicate.
 */
const INSERT_NOTIFICATIONS = `
  INSERT INTO notifications (
    id, organization_id, action_id, object_type, record_id, fields, session_id,
    enterprise_url, partner_url, received_at, state, attempts, next_attempt_at, updated_at
  )
  SELECT incoming.id, $1, $2, incoming.object_type, incoming.record_id, incoming.fields::json, $3,
         $4, $5, $6, 'received', 0, $6, $6
  FROM unnest($7::text[], $8::text[], $9::text[], $10::text[])
       WITH ORDINALITY AS incoming (id, object_type, record_id, fields, position)
  ORDER BY incoming.position
  ON CONFLICT (id) DO NOTHING
  RETURNING id`;

const STORED_IDENTITIES = `
  SELECT id, organization_id, action_id, record_id FROM notifications WHERE id = ANY($1::text[])`;

interface StoredIdentity {
  id: string;
  organization_id: string;
  action_id: string;
  record_id: string | null;
}

/**
 * Runs inside the caller's transaction. Returns the counts; throws
 * `NotificationConflictError` (rolling everything back) for an id stored for another
 * org, action or record.
 */
export async function storeMessage(
  client: pg.ClientBase,
  message: OutboundMessage,
  now: Date,
): Promise<StoreResult> {
  const { notifications } = message;
  const inserted = await client.query<{ id: string }>(INSERT_NOTIFICATIONS, [
    message.organizationId,
    message.actionId,
    message.sessionId,
    message.enterpriseUrl,
    message.partnerUrl,
    now.getTime(),
    notifications.map((n) => n.id),
    notifications.map((n) => n.sObject?.type ?? null),
    notifications.map((n) => n.sObject?.id ?? null),
    notifications.map((n) => JSON.stringify(n.sObject?.fields ?? {})),
  ]);
  const insertedIds = new Set(inserted.rows.map((row) => row.id));
  const known = notifications.filter((n) => !insertedIds.has(n.id));
  if (known.length > 0) {
    const stored = await client.query<StoredIdentity>(STORED_IDENTITIES, [known.map((n) => n.id)]);
    const byId = new Map(stored.rows.map((row) => [row.id, row]));
    for (const notification of known) {
      const row = byId.get(notification.id);
      if (row === undefined) continue;
      assertSameNotification(
        { organizationId: row.organization_id, actionId: row.action_id, recordId: row.record_id },
        message,
        notification,
      );
    }
  }
  const received = notifications.length;
  return { received, inserted: insertedIds.size, duplicates: received - insertedIds.size };
}
