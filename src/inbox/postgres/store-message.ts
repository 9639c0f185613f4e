import pg from 'pg';
import type { OutboundMessage, OutboundNotification } from '../../soap/index.ts';
import { NotificationConflictError } from '../errors.ts';
import type { MessageOutcome, PendingStore } from '../group-commit.ts';
import type { StoreResult, UnusualDuplicate } from '../inbox.ts';
import {
  assertSameNotification,
  unusualDuplicate,
  type NotificationIdentity,
  type StoredDelivery,
} from '../same-notification.ts';
import { DATABASE_NOW_MS } from './bind.ts';
import { isMessageState } from '../state-machine.ts';
import { unknownStateError } from '../tally-states.ts';

type Queryable = Pick<pg.ClientBase, 'query'>;

/**
 * Several messages in ONE statement, hence one round trip and one atomic transaction:
 * - the messages' own columns are unnested once per message and joined to their notifications;
 *   notifications are unnested in group order (WITH ORDINALITY), so `seq` follows arrival;
 * - a known id with the same identity is left untouched (Salesforce redelivers until it sees
 *   an Ack); a concurrent insert of the same id waits for the other transaction, then sees
 *   its committed row here, where a later SELECT in the same statement could not;
 * - a known id with another org, action or record (compared on 15 characters, as
 *   same-notification.ts does) calls sf_relay_refuse_conflict, which raises SF409 and so
 *   rolls the whole statement back: nothing of the group is stored (see `storeTogether`);
 * - pg_notify wakes idle workers only when something was inserted; PostgreSQL delivers one
 *   notification per transaction however many rows call it, and only after the commit.
 */
const STORE_MESSAGES = `
  WITH arrival AS (SELECT COALESCE($1::bigint, ${DATABASE_NOW_MS}) AS at),
  inserted AS (
    INSERT INTO notifications (
      id, organization_id, action_id, object_type, record_id, fields, session_id,
      enterprise_url, partner_url, received_at, state, attempts, attempts_since,
      next_attempt_at, last_error, updated_at
    )
    SELECT incoming.id, sent.organization_id, sent.action_id, incoming.object_type,
           incoming.record_id, incoming.fields::json, sent.session_id, sent.enterprise_url,
           sent.partner_url, arrival.at,
           CASE WHEN incoming.hold_reason IS NULL THEN 'received' ELSE 'held' END, 0, arrival.at,
           CASE WHEN incoming.hold_reason IS NULL THEN arrival.at END, incoming.hold_reason,
           arrival.at
    FROM arrival,
         unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
         WITH ORDINALITY AS sent (organization_id, action_id, session_id, enterprise_url,
                                  partner_url, message),
         unnest($8::int[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
         WITH ORDINALITY AS incoming (message, id, object_type, record_id, fields, hold_reason,
                                      position)
    WHERE incoming.message = sent.message
    ORDER BY incoming.position
    ON CONFLICT (id) DO UPDATE SET id = sf_relay_refuse_conflict(excluded.id)
      WHERE left(notifications.organization_id, 15) <> left(excluded.organization_id, 15)
         OR left(notifications.action_id, 15) <> left(excluded.action_id, 15)
         OR coalesce(left(notifications.record_id, 15), '') <> coalesce(left(excluded.record_id, 15), '')
    RETURNING id, state
  )
  SELECT inserted.id, inserted.state, pg_notify($2, '') IS NULL AS notified FROM inserted`;

/** The stored twins of a message's duplicates, to tell a normal redelivery from an odd one. */
const STORED_DELIVERIES = `SELECT id, state, fields::text AS fields FROM notifications WHERE id = ANY($1::text[])`;

/** The SQLSTATE sf_relay_refuse_conflict raises (see migrations.ts). */
export const CONFLICT_SQLSTATE = 'SF409';

/** A message accepted for the insert, with the notifications it is the first to carry. */
interface Planned {
  readonly pending: PendingStore;
  readonly fresh: readonly OutboundNotification[];
}

/** A message's place in the group: planned for the insert, or already refused. */
type Plan = Planned | NotificationConflictError;

interface Row {
  readonly id: string;
  readonly state: string;
}

/**
 * Keeps the first delivery of each id among `known` and the message; a later delivery must
 * name the same notification (one statement may not touch a row twice, and a repeat is a
 * duplicate, inside one message or across messages of one group, as if stored one by one).
 * `known` gains the message's ids only when the whole message is accepted.
 */
function planMessage(pending: PendingStore, known: Map<string, NotificationIdentity>): Plan {
  const { message } = pending;
  const own = new Map<string, NotificationIdentity>();
  const fresh: OutboundNotification[] = [];
  try {
    for (const notification of message.notifications) {
      const seen = known.get(notification.id) ?? own.get(notification.id);
      if (seen !== undefined) {
        assertSameNotification(seen, message, notification);
        continue;
      }
      own.set(notification.id, {
        organizationId: message.organizationId,
        actionId: message.actionId,
        recordId: notification.sObject?.id ?? null,
      });
      fresh.push(notification);
    }
  } catch (error) {
    if (error instanceof NotificationConflictError) return error;
    throw error;
  }
  for (const [id, identity] of own) known.set(id, identity);
  return { pending, fresh };
}

function isConflict(error: unknown): error is pg.DatabaseError {
  return error instanceof pg.DatabaseError && error.code === CONFLICT_SQLSTATE;
}

/** One statement for every planned message; the rows it inserted, by message. */
async function insert(
  client: Queryable,
  planned: readonly Planned[],
  now: number | null,
  channel: string,
): Promise<Map<Planned, Row[]>> {
  const byMessage = new Map<Planned, Row[]>(planned.map((plan) => [plan, []]));
  const owner = new Map<string, Row[]>();
  const rowsOf: number[] = [];
  const ids: string[] = [];
  const types: (string | null)[] = [];
  const records: (string | null)[] = [];
  const fields: string[] = [];
  const holds: (string | null)[] = [];
  planned.forEach((plan, index) => {
    const rows = byMessage.get(plan) ?? [];
    for (const notification of plan.fresh) {
      owner.set(notification.id, rows);
      rowsOf.push(index + 1);
      ids.push(notification.id);
      types.push(notification.sObject?.type ?? null);
      records.push(notification.sObject?.id ?? null);
      fields.push(JSON.stringify(notification.sObject?.fields ?? {}));
      holds.push(plan.pending.options.hold?.get(notification.id) ?? null);
    }
  });
  if (ids.length === 0) return byMessage;
  const messages = planned.map((plan) => plan.pending.message);
  const result = await client.query<Row>(STORE_MESSAGES, [
    now,
    channel,
    messages.map((m) => m.organizationId),
    messages.map((m) => m.actionId),
    messages.map((m) => m.sessionId),
    messages.map((m) => m.enterpriseUrl),
    messages.map((m) => m.partnerUrl),
    rowsOf,
    ids,
    types,
    records,
    fields,
    holds,
  ]);
  for (const row of result.rows) owner.get(row.id)?.push(row);
  return byMessage;
}

/** What a message's inserted rows make of it; its repeats still to be compared with their twins. */
interface Counted {
  readonly result: Omit<StoreResult, 'unusualDuplicates'>;
  readonly repeated: readonly OutboundNotification[];
}

function count(message: OutboundMessage, rows: readonly Row[]): Counted {
  const received = message.notifications.length;
  // Every delivery but the first of each inserted id is a duplicate, also inside one message.
  const fresh = new Set(rows.map((row) => row.id));
  const repeated = message.notifications.filter((n) => !fresh.delete(n.id));
  return {
    result: {
      received,
      inserted: rows.length,
      duplicates: received - rows.length,
      held: rows.filter((row) => row.state === 'held').length,
    },
    repeated,
  };
}

/**
 * The fast path: the whole group in one statement and one commit. Refusals found in the group
 * itself (an id repeated for another record) are decided before the insert. Returns null when
 * a message conflicts with a stored row: the statement stored nothing, and the caller stores
 * the group one message per savepoint instead (`storeOneByOne`), so only that message fails.
 */
export async function storeTogether(
  client: Queryable,
  group: readonly PendingStore[],
  now: number | null,
  channel: string,
): Promise<MessageOutcome[] | null> {
  const known = new Map<string, NotificationIdentity>();
  const plans = group.map((pending) => planMessage(pending, known));
  const planned = plans.filter((plan): plan is Planned => !(plan instanceof Error));
  let inserted: Map<Planned, Row[]>;
  try {
    inserted = await insert(client, planned, now, channel);
  } catch (error) {
    if (isConflict(error)) return null;
    throw error;
  }
  return settle(
    client,
    plans.map((plan) =>
      plan instanceof Error ? plan : count(plan.pending.message, inserted.get(plan) ?? []),
    ),
  );
}

/**
 * The slow path, inside the caller's transaction: each message in its own savepoint, in group
 * order, so a message refused for a conflict with a stored row is rolled back alone and every
 * message sees the ones before it exactly as if they had been stored one after the other.
 */
export async function storeOneByOne(
  client: Queryable,
  group: readonly PendingStore[],
  now: number | null,
  channel: string,
): Promise<MessageOutcome[]> {
  const counted: (Counted | NotificationConflictError)[] = [];
  for (const pending of group) {
    const plan = planMessage(pending, new Map());
    if (plan instanceof Error) {
      counted.push(plan);
      continue;
    }
    await client.query('SAVEPOINT store_message');
    try {
      const rows = await insert(client, [plan], now, channel);
      await client.query('RELEASE SAVEPOINT store_message');
      counted.push(count(pending.message, rows.get(plan) ?? []));
    } catch (error) {
      if (!isConflict(error)) throw error;
      await client.query('ROLLBACK TO SAVEPOINT store_message');
      counted.push(
        new NotificationConflictError(
          `${error.message}: already stored for another organisation, action or record; refusing the message`,
        ),
      );
    }
  }
  return settle(client, counted);
}

/** Finds the unusual duplicates of every message in one read: a redelivery is rare enough. */
async function settle(
  client: Queryable,
  counted: readonly (Counted | NotificationConflictError)[],
): Promise<MessageOutcome[]> {
  const repeated = counted.flatMap((one) => (one instanceof Error ? [] : one.repeated));
  const twins = await storedTwins(client, repeated);
  return counted.map((one): MessageOutcome => {
    if (one instanceof Error) return { ok: false, error: one };
    const unusualDuplicates: UnusualDuplicate[] = [];
    for (const notification of one.repeated) {
      const twin = twins.get(notification.id);
      const found = twin === undefined ? null : unusualDuplicate(twin, notification);
      if (found !== null) unusualDuplicates.push(found);
    }
    return { ok: true, result: { ...one.result, unusualDuplicates } };
  });
}

async function storedTwins(
  client: Queryable,
  repeated: readonly OutboundNotification[],
): Promise<Map<string, StoredDelivery>> {
  const byId = new Map<string, StoredDelivery>();
  if (repeated.length === 0) return byId;
  const stored = await client.query<{ id: string; state: string; fields: string }>(
    STORED_DELIVERIES,
    [[...new Set(repeated.map((n) => n.id))]],
  );
  for (const row of stored.rows) {
    if (!isMessageState(row.state)) throw unknownStateError(row.id, row.state);
    byId.set(row.id, { id: row.id, state: row.state, fields: row.fields });
  }
  return byId;
}
