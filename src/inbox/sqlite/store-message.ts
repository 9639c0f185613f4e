import type Database from 'better-sqlite3';
import type { OutboundMessage } from '../../soap/index.ts';
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

export type StoreMessage = (message: OutboundMessage, now: Date) => StoreResult;

/**
 * All notifications of one message in ONE immediate transaction: either every new one is
 * committed (and the listener may ack) or, on any error, none is.
 */
export function prepareStoreMessage(db: Database.Database): StoreMessage {
  const insert = db.prepare<InsertParams>(INSERT_NOTIFICATION);
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
    }
    const received = message.notifications.length;
    return { received, inserted, duplicates: received - inserted };
  });
  return (message, now) => storeAll.immediate(message, now.getTime());
}
