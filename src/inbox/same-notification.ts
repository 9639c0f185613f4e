import type { OutboundMessage, OutboundNotification } from '../soap/index.ts';
import { NotificationConflictError } from './errors.ts';
import type { UnusualDuplicate } from './inbox.ts';
import type { MessageState } from './state-machine.ts';

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

/** A stored notification as a redelivery is compared with it. */
export interface StoredDelivery {
  readonly id: string;
  readonly state: MessageState;
  /** The stored fields, as JSON text. */
  readonly fields: string;
}

/**
 * A duplicate is normal when its stored twin is finished and carries the same values. One
 * whose twin is still in flight, parked, or differs in any field is reported (names only:
 * field values may be personal data), so a silent swallow of a changed message shows up.
 */
export function unusualDuplicate(
  stored: StoredDelivery,
  notification: OutboundNotification,
): UnusualDuplicate | null {
  let storedFields: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(stored.fields);
    if (typeof parsed === 'object' && parsed !== null)
      storedFields = parsed as Record<string, unknown>;
  } catch {
    // A row that cannot be read is reported as differing in every field below.
  }
  const incoming: Record<string, unknown> = notification.sObject?.fields ?? {};
  const names = new Set([...Object.keys(storedFields), ...Object.keys(incoming)]);
  const differingFields = [...names].filter((name) => storedFields[name] !== incoming[name]);
  if (stored.state === 'done' && differingFields.length === 0) return null;
  return { id: stored.id, state: stored.state, differingFields };
}
