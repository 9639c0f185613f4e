/**
 * The life of a stored notification. The states are named here; every move between them is
 * declared once in `transitions.ts`, which both stores render into their SQL.
 *
 *   received ──claim──▶ processing ──complete──▶ done ──(retention)──▶ deleted
 *                        │    ▲  │
 *        fail(retry)/release  │  └─renew (heartbeat: same state, lease extended)
 *                        ▼    │
 *                      retry_wait ──claim (when due, or a lease expired)
 *   processing ──fail(permanent)──▶ dead ──replay──▶ received
 *   received/retry_wait/processing ──claim at the attempt cap (exhaust)──▶ dead
 *   (store) ──contract mismatch──▶ held ──replay──▶ received
 */
export const MESSAGE_STATES = [
  'received',
  'processing',
  'retry_wait',
  'done',
  'dead',
  'held',
] as const;
export type MessageState = (typeof MESSAGE_STATES)[number];

/** States a worker may claim from (a `processing` row is claimable only once its lease expired). */
export const CLAIMABLE_STATES = [
  'received',
  'retry_wait',
  'processing',
] as const satisfies readonly MessageState[];

/** States an operator can send back to the worker with `replay`. */
export const REPLAYABLE_STATES = ['dead', 'held'] as const satisfies readonly MessageState[];
export type ReplayableState = (typeof REPLAYABLE_STATES)[number];

/** States in which a message is finished and its SessionId must no longer be kept. */
export const FINISHED_STATES = ['done', 'dead'] as const satisfies readonly MessageState[];

export function isMessageState(value: string): value is MessageState {
  return (MESSAGE_STATES as readonly string[]).includes(value);
}
