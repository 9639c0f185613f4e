import type Database from 'better-sqlite3';
import type { OutboundMessage } from '../../soap/index.ts';
import { NotificationConflictError } from '../errors.ts';
import type { StoreResult } from '../inbox.ts';

const INSERT_NOTIFICATION = `
  INSERT INTO notifications (
    id, organization_id, action_id, object_type, record_id, fields, session_id,
    enterprise_url, partner_url, received_at, state, attempts, next_attempt_at, updated_at
  ) VALUES (
    :id, :organizationId, :actionId, :objectType, :recordId, :fields, :sessionId,
    :enterpriseUrl, :partnerUrl, :now, 'received', 0, :now, :now
  )
  -- Salesforce redelivers until it sees an ack: a known notification id is left untouched.
  ON CONFLICT (id) DO NOTHING`;

interface InsertParams {
  id: string;
  organizationId: string;
  actionId: string;
  objectType: string | null;
  recordId: string | null;
  fields: string;
  sessionId: string | null;
  enterpriseUrl: string;
  partnerUrl: string;
  now: number;
}

const STORED_IDENTITY = `SELECT organization_id, action_id, record_id FROM notifications WHERE id = :id`;

interface StoredIdentity {
  organization_id: string;
  action_id: string;
  record_id: string | null;
}

const same15 = (a: string | null, b: string | null): boolean =>
  (a ?? '').slice(0, 15) === (b ?? '').slice(0, 15);

/** One message's outcome inside a group: its counts, or the error that refused it alone. */
export type MessageOutcome =
  | { readonly ok: true; readonly result: StoreResult }
  | { readonly ok: false; readonly error: NotificationConflictError };

export type StoreMessages = (messages: readonly OutboundMessage[], now: Date) => MessageOutcome[];

/**
 * Several messages in ONE immediate transaction (one commit, one fsync), each inside its own
 * savepoint: a message refused for a notification-id conflict is rolled back alone, and the
 * others still commit. Any other error (disk full, I/O, lock timeout) is thrown, the whole
 * transaction rolls back, and nothing of any message is stored.
 *
 * Messages are applied in order, so a notification id carried by two messages of one group is
 * inserted by the first and counted as a duplicate by the second, exactly as if they had been
 * committed one after the other.
 */
export function prepareStoreMessages(db: Database.Database): StoreMessages {
  const insert = db.prepare<InsertParams>(INSERT_NOTIFICATION);
  const storedIdentity = db.prepare<{ id: string }, StoredIdentity>(STORED_IDENTITY);
  // Called inside the outer transaction, better-sqlite3 runs this one as a SAVEPOINT.
  const storeOne = db.transaction((message: OutboundMessage, now: number): StoreResult => {
    let inserted = 0;
    for (const notification of message.notifications) {
      const recordId = notification.sObject?.id ?? null;
      const { changes } = insert.run({
        id: notification.id,
        organizationId: message.organizationId,
        actionId: message.actionId,
        objectType: notification.sObject?.type ?? null,
        recordId,
        fields: JSON.stringify(notification.sObject?.fields ?? {}),
        sessionId: message.sessionId,
        enterpriseUrl: message.enterpriseUrl,
        partnerUrl: message.partnerUrl,
        now,
      });
      inserted += changes;
      if (changes === 0) {
        const stored = storedIdentity.get({ id: notification.id });
        if (
          stored &&
          !(
            same15(stored.organization_id, message.organizationId) &&
            same15(stored.action_id, message.actionId) &&
            same15(stored.record_id, recordId)
          )
        ) {
          // Throwing rolls this message's savepoint back: nothing of it is stored.
          throw new NotificationConflictError(
            `notification ${notification.id} is already stored for another organisation, action or record; refusing the message`,
          );
        }
      }
    }
    const received = message.notifications.length;
    return { received, inserted, duplicates: received - inserted };
  });
  const storeAll = db.transaction(
    (messages: readonly OutboundMessage[], now: number): MessageOutcome[] =>
      messages.map((message): MessageOutcome => {
        try {
          return { ok: true, result: storeOne(message, now) };
        } catch (error) {
          if (error instanceof NotificationConflictError) return { ok: false, error };
          throw error;
        }
      }),
  );
  return (messages, now) => storeAll.immediate(messages, now.getTime());
}
