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

export type StoreMessage = (message: OutboundMessage, now: Date) => StoreResult;

/**
 * All notifications of one message in ONE immediate transaction: either every new one is
 * committed (and the listener may ack) or, on any error, none is.
 */
export function prepareStoreMessage(db: Database.Database): StoreMessage {
  const insert = db.prepare<InsertParams>(INSERT_NOTIFICATION);
  const storedIdentity = db.prepare<{ id: string }, StoredIdentity>(STORED_IDENTITY);
  const storeAll = db.transaction((message: OutboundMessage, now: number): StoreResult => {
    let inserted = 0;
    for (const notification of message.notifications) {
      const { changes } = insert.run({
        id: notification.id,
        organizationId: message.organizationId,
        actionId: message.actionId,
        objectType: notification.sObject?.type ?? null,
        recordId: notification.sObject?.id ?? null,
        fields: JSON.stringify(notification.sObject?.fields ?? {}),
        sessionId: message.sessionId,
        enterpriseUrl: message.enterpriseUrl,
        partnerUrl: message.partnerUrl,
        now,
      });
      inserted += changes;
      if (changes === 0) {
        const stored = storedIdentity.get({ id: notification.id });
        const recordId = notification.sObject?.id ?? null;
        if (
          stored &&
          !(
            same15(stored.organization_id, message.organizationId) &&
            same15(stored.action_id, message.actionId) &&
            same15(stored.record_id, recordId)
          )
        ) {
          // Throwing rolls the whole message back: nothing of it is stored.
          throw new NotificationConflictError(
            `notification ${notification.id} is already stored for another organisation, action or record; refusing the message`,
          );
        }
      }
    }
    const received = message.notifications.length;
    return { received, inserted, duplicates: received - inserted };
  });
  return (message, now) => storeAll.immediate(message, now.getTime());
}
