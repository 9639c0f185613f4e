import pg from 'pg';
import type { OutboundMessage, OutboundNotification } from '../../soap/index.ts';
import { NotificationConflictError } from '../errors.ts';
import type { StoreOptions, StoreResult, UnusualDuplicate } from '../inbox.ts';
import {
  assertSameNotification,
  unusualDuplicate,
  type StoredDelivery,
} from '../same-notification.ts';
import { DATABASE_NOW_MS } from './bind.ts';
import { isMessageState } from '../state-machine.ts';
import { unknownStateError } from '../tally-states.ts';

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
  WITH arrival AS (SELECT COALESCE($6::bigint, ${DATABASE_NOW_MS}) AS at),
  inserted AS (
    INSERT INTO notifications (
      id, organization_id, action_id, object_type, record_id, fields, session_id,
      enterprise_url, partner_url, received_at, state, attempts, attempts_since,
      next_attempt_at, last_error, updated_at
    )
    SELECT incoming.id, $1, $2, incoming.object_type, incoming.record_id, incoming.fields::json, $3,
           $4, $5, arrival.at,
           CASE WHEN incoming.hold_reason IS NULL THEN 'received' ELSE 'held' END, 0, arrival.at,
           CASE WHEN incoming.hold_reason IS NULL THEN arrival.at END, incoming.hold_reason,
           arrival.at
    FROM arrival,
         unnest($7::text[], $8::text[], $9::text[], $10::text[], $12::text[])
         WITH ORDINALITY AS incoming (id, object_type, record_id, fields, hold_reason, position)
    ORDER BY incoming.position
    ON CONFLICT (id) DO UPDATE SET id = sf_relay_refuse_conflict(excluded.id)
      WHERE left(notifications.organization_id, 15) <> left(excluded.organization_id, 15)
         OR left(notifications.action_id, 15) <> left(excluded.action_id, 15)
         OR coalesce(left(notifications.record_id, 15), '') <> coalesce(left(excluded.record_id, 15), '')
    RETURNING id, state
  )
  SELECT inserted.id, inserted.state, pg_notify($11, '') IS NULL AS notified FROM inserted`;

/** The stored twins of a message's duplicates, to tell a normal redelivery from an odd one. */
const STORED_DELIVERIES = `SELECT id, state, fields::text AS fields FROM notifications WHERE id = ANY($1::text[])`;

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
  options: StoreOptions,
  now: number | null,
  channel: string,
): Promise<StoreResult> {
  const notifications = uniqueNotifications(message);
  const received = message.notifications.length;
  if (notifications.length === 0)
    return { received, inserted: 0, duplicates: received, held: 0, unusualDuplicates: [] };
  let rows: { id: string; state: string }[];
  try {
    const result = await client.query<{ id: string; state: string }>(STORE_MESSAGE, [
      message.organizationId,
      message.actionId,
      message.sessionId,
      message.enterpriseUrl,
      message.partnerUrl,
      now,
      notifications.map((n) => n.id),
      notifications.map((n) => n.sObject?.type ?? null),
      notifications.map((n) => n.sObject?.id ?? null),
      notifications.map((n) => JSON.stringify(n.sObject?.fields ?? {})),
      channel,
      notifications.map((n) => options.hold?.get(n.id) ?? null),
    ]);
    rows = result.rows;
  } catch (error) {
    if (error instanceof pg.DatabaseError && error.code === CONFLICT_SQLSTATE) {
      throw new NotificationConflictError(
        `${error.message}: already stored for another organisation, action or record; refusing the message`,
      );
    }
    throw error;
  }
  const inserted = rows.length;
  const held = rows.filter((row) => row.state === 'held').length;
  // Every delivery but the first of each inserted id is a duplicate, also inside one message.
  const fresh = new Set(rows.map((row) => row.id));
  const repeated = message.notifications.filter((n) => !fresh.delete(n.id));
  return {
    received,
    inserted,
    duplicates: received - inserted,
    held,
    unusualDuplicates: await findUnusualDuplicates(client, repeated),
  };
}

/** After the commit, a read: a redelivery is rare enough that one more round trip is cheap. */
async function findUnusualDuplicates(
  client: Pick<pg.ClientBase, 'query'>,
  repeated: readonly OutboundNotification[],
): Promise<UnusualDuplicate[]> {
  if (repeated.length === 0) return [];
  const stored = await client.query<{ id: string; state: string; fields: string }>(
    STORED_DELIVERIES,
    [repeated.map((n) => n.id)],
  );
  const byId = new Map<string, StoredDelivery>();
  for (const row of stored.rows) {
    if (!isMessageState(row.state)) throw unknownStateError(row.id, row.state);
    byId.set(row.id, { id: row.id, state: row.state, fields: row.fields });
  }
  const unusual: UnusualDuplicate[] = [];
  for (const notification of repeated) {
    const twin = byId.get(notification.id);
    const found = twin === undefined ? null : unusualDuplicate(twin, notification);
    if (found !== null) unusual.push(found);
  }
  return unusual;
}
