import pg from 'pg';
import type { OutboundMessage, OutboundNotification } from '../../soap/index.ts';
import { NotificationConflictError } from '../errors.ts';
import type { StoreResult } from '../inbox.ts';
import { assertSameNotification } from '../same-notification.ts';

/**
 * The whole message in ONE statement, hence one round trip and one atomic transaction:
 * - arrays unnested in message order (WITH ORDINALITY), so `seq` follows arrival like SQLite's;
 * - a known id with the same identity is left untouched (Salesforce redelivers until it sees
 *   an Ack); a concurrent insert of the same id waits for the other transaction, then sees
 *   its committed row here, where a later SELECT in the same statement could not;
 * - a known id with another org, action or record (compared on 15 characters, as
 *   same-notification.ts does) calls sf_relay_refuse_conflict, which raises SF409 and so
 *   rolls the whole statement back: nothing of the message is stored;
 * - pg_notify wakes idle workers only when something was inserted; PostgreSQL delivers one
 *   notification per transaction however many rows call it, and only after the commit.
 */
const STORE_MESSAGE = `
  WITH inserted AS (
    INSERT INTO notifications (
      id, organization_id, action_id, object_type, record_id, fields, session_id,
      enterprise_url, partner_url, received_at, state, attempts, next_attempt_at, updated_at
    )
    SELECT incoming.id, $1, $2, incoming.object_type, incoming.record_id, incoming.fields::json, $3,
           $4, $5, $6, 'received', 0, $6, $6
    FROM unnest($7::text[], $8::text[], $9::text[], $10::text[])
         WITH ORDINALITY AS incoming (id, object_type, record_id, fields, position)
    ORDER BY incoming.position
    ON CONFLICT (id) DO UPDATE SET id = sf_relay_refuse_conflict(excluded.id)
      WHERE left(notifications.organization_id, 15) <> left(excluded.organization_id, 15)
         OR left(notifications.action_id, 15) <> left(excluded.action_id, 15)
         OR coalesce(left(notifications.record_id, 15), '') <> coalesce(left(excluded.record_id, 15), '')
    RETURNING id
  )
  SELECT inserted.id, pg_notify($11, '') IS NULL AS notified FROM inserted`;

/** The SQLSTATE sf_relay_refuse_conflict raises (see migrations.ts). */
export const CONFLICT_SQLSTATE = 'SF409';

/**
 * Repeats of an id inside one message are dropped before the insert (one statement may not
 * touch a row twice); they must name the same notification, like any redelivery.
 */
function uniqueNotifications(message: OutboundMessage): OutboundNotification[] {
  const first = new Map<string, OutboundNotification>();
  for (const notification of message.notifications) {
    const seen = first.get(notification.id);
    if (seen === undefined) first.set(notification.id, notification);
    else
      assertSameNotification(
        { ...message, recordId: seen.sObject?.id ?? null },
        message,
        notification,
      );
  }
  return [...first.values()];
}

export async function storeMessage(
  client: Pick<pg.ClientBase, 'query'>,
  message: OutboundMessage,
  now: Date,
  channel: string,
): Promise<StoreResult> {
  const notifications = uniqueNotifications(message);
  const received = message.notifications.length;
  if (notifications.length === 0) return { received, inserted: 0, duplicates: received };
  let inserted: number;
  try {
    const result = await client.query(STORE_MESSAGE, [
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
      channel,
    ]);
    inserted = result.rowCount ?? 0;
  } catch (error) {
    if (error instanceof pg.DatabaseError && error.code === CONFLICT_SQLSTATE) {
      throw new NotificationConflictError(
        `${error.message}: already stored for another organisation, action or record; refusing the message`,
      );
    }
    throw error;
  }
  return { received, inserted, duplicates: received - inserted };
}
