import type { OutboundMessage, OutboundNotification } from '../soap/index.ts';
import { NotificationConflictError } from './errors.ts';

/** What a redelivery of a notification id can never change. */
export interface NotificationIdentity {
  readonly organizationId: string;
  readonly actionId: string;
  readonly recordId: string | null;
}

/** Salesforce mixes 15- and 18-character forms of the same id; the first 15 identify it. */
const same15 = (a: string | null, b: string | null): boolean =>
  (a ?? '').slice(0, 15) === (b ?? '').slice(0, 15);

/**
 * A stored notification id arriving again must be the same notification: another org, action
 * or record means a forged or corrupted message. Throwing rolls the whole message back, so
 * nothing of it is stored and the listener refuses it rather than acking it as a duplicate.
 */
export function assertSameNotification(
  stored: NotificationIdentity,
  message: OutboundMessage,
  notification: OutboundNotification,
): void {
  if (
    same15(stored.organizationId, message.organizationId) &&
    same15(stored.actionId, message.actionId) &&
    same15(stored.recordId, notification.sObject?.id ?? null)
  )
    return;
  throw new NotificationConflictError(
    `notification ${notification.id} is already stored for another organisation, action or record; refusing the message`,
  );
}
