/**
 * The life of a stored notification, written down once so that every store applies the same
 * rules (ARCHITECTURE.md: received → processing → done | retry_wait → dead).
 *
 *   received ──claim──▶ processing ──complete──▶ done
 *                        │    ▲
 *              fail(retry)    │ claim (when due, or when a lease expired)
 *                        ▼    │
 *                      retry_wait
 *   processing ──fail(permanent or out of attempts)──▶ dead ──replay──▶ received
 */
export const MESSAGE_STATES = ['received', 'processing', 'retry_wait', 'done', 'dead'] as const;
export type MessageState = (typeof MESSAGE_STATES)[number];

export const TRANSITIONS: Readonly<Record<MessageState, readonly MessageState[]>> = {
  received: ['processing'],
  processing: ['done', 'retry_wait', 'dead', 'processing'],
  retry_wait: ['processing'],
  done: [],
  dead: ['received'],
};

/** States a worker may claim from (a `processing` row is claimable only once its lease expired). */
export const CLAIMABLE_STATES: readonly MessageState[] = ['received', 'retry_wait', 'processing'];

/** States in which a message is finished and its SessionId must no longer be kept. */
export const FINISHED_STATES: readonly MessageState[] = ['done', 'dead'];

export function isMessageState(value: string): value is MessageState {
  return (MESSAGE_STATES as readonly string[]).includes(value);
}

export function canTransition(from: MessageState, to: MessageState): boolean {
  return TRANSITIONS[from].includes(to);
}
