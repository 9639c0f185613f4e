import type { FieldValue, OutboundMessage } from '../soap/index.ts';
import type { MessageState, ReplayableState } from './state-machine.ts';

/** What one `store` call did: the listener acks only after it resolves. */
export interface StoreResult {
  /** Notifications in the message. */
  readonly received: number;
  /** Notifications that were new and are now committed. */
  readonly inserted: number;
  /** Notifications already in the inbox (Salesforce redelivered them), left untouched. */
  readonly duplicates: number;
  /** Of the inserted ones, how many were stored `held` (see `StoreOptions.hold`). */
  readonly held: number;
  /**
   * Duplicates worth a look: the stored one is not finished yet, or it carries other field
   * values than this delivery. A redelivery of a finished, identical notification is normal
   * and not listed.
   */
  readonly unusualDuplicates: readonly UnusualDuplicate[];
}

export interface UnusualDuplicate {
  readonly id: string;
  /** The stored notification's state. */
  readonly state: MessageState;
  /** Fields whose value in this delivery differs from the stored one (names only). */
  readonly differingFields: readonly string[];
}

export interface StoreOptions {
  /**
   * Notifications to store in the `held` state with the given reason (the configured WSDL's
   * contract does not match): committed and acked, but never processed until replayed.
   */
  readonly hold?: ReadonlyMap<string, string>;
}

/**
 * A stored notification as listings show it. It never carries the SessionId: that is only
 * handed to the worker that holds the lease (see `ClaimedMessage`).
 */
export interface InboxMessage {
  /** The notification id (`04l…`). */
  readonly id: string;
  readonly organizationId: string;
  readonly actionId: string;
  readonly objectType: string | null;
  readonly recordId: string | null;
  readonly fields: Readonly<Record<string, FieldValue>>;
  readonly enterpriseUrl: string;
  readonly partnerUrl: string;
  /** Whether a (legacy) SessionId is stored for this message; never the value itself. */
  readonly hasSessionId: boolean;
  readonly receivedAt: Date;
  readonly state: MessageState;
  /** Number of times a worker claimed this message. */
  readonly attempts: number;
  /** When the current budget of attempts and age began: arrival, or the last replay. */
  readonly attemptsSince: Date;
  readonly nextAttemptAt: Date | null;
  readonly leaseOwner: string | null;
  readonly leaseExpiresAt: Date | null;
  readonly lastError: string | null;
  readonly updatedAt: Date;
  readonly completedAt: Date | null;
}

/** A message claimed by a worker: the only shape that carries the legacy SessionId. */
export interface ClaimedMessage extends InboxMessage {
  readonly sessionId: string | null;
  /**
   * The fencing token of this claim: every later transition must present it. A new claim of
   * the same notification (after the lease ran out) gets a new token, so the earlier holder
   * can no longer renew, finish or fail it.
   */
  readonly leaseToken: string;
}

export interface ClaimOptions {
  /** Identifies the claiming worker; every later transition must present it. */
  readonly owner: string;
  /** Most messages to claim at once. */
  readonly limit: number;
  /** How long the claim holds before another worker may take the message over. */
  readonly leaseMs: number;
  /**
   * A due message already claimed this many times is moved to `dead` instead of being claimed
   * again (a poison message that crashes or hangs its worker every time). Default: no cap.
   */
  readonly maxAttempts?: number;
}

export interface PurgeOptions {
  /** States to delete from; only finished or parked ones: done, dead, held. */
  readonly states: readonly ('done' | 'dead' | 'held')[];
  /** Only rows last changed before this time. */
  readonly before: Date;
  /** Count what would go, delete nothing. */
  readonly dryRun?: boolean;
  /** At most this many rows (retention deletes in small batches). Default: all. */
  readonly limit?: number;
}

export type Failure =
  | { readonly kind: 'retryable'; readonly error: string; readonly retryAt: Date }
  | { readonly kind: 'permanent'; readonly error: string };

export interface ListFilter {
  readonly state?: MessageState;
  readonly recordId?: string;
  /** Newest first; default 100, at most 1000. */
  readonly limit?: number;
}

export type StateCounts = Readonly<Record<MessageState, number>>;

/**
 * The durable queue between the listener and the worker. One contract, several stores
 * (SQLite, PostgreSQL); every state change is one transaction.
 */
export interface Inbox {
  /**
   * Stores every notification of one outbound message in ONE transaction, deduplicated by
   * notification id. Resolves only after the transaction is committed durably; rejects with
   * `InboxUnavailableError` when it could not commit (nothing of the message is then stored).
   */
  store(message: OutboundMessage, options?: StoreOptions): Promise<StoreResult>;

  /**
   * Claims up to `limit` due messages (received, retry_wait whose time has come, or
   * processing whose lease expired), oldest first, at most one per record, and never a record
   * that another live lease holds. Claiming increments `attempts`; with `maxAttempts`, due
   * messages that used them up become dead in the same transaction instead.
   */
  claim(options: ClaimOptions): Promise<ClaimedMessage[]>;

  /**
   * Extends a live claim by `leaseMs` from now (the worker's heartbeat). Returns false when the
   * claim is no longer this token's: the work must stop.
   */
  renewLease(id: string, leaseToken: string, leaseMs: number): Promise<boolean>;

  /** processing → done, only for the claim's token. Returns false if the lease was lost. */
  complete(id: string, leaseToken: string): Promise<boolean>;

  /** processing → retry_wait or dead, only for the claim's token. Returns false if the lease was lost. */
  fail(id: string, leaseToken: string, failure: Failure): Promise<boolean>;

  /**
   * processing → retry_wait, due now, the claim's attempt given back: a stopping worker hands
   * back what it did not finish. Returns false if the lease was lost.
   */
  release(id: string, leaseToken: string): Promise<boolean>;

  /**
   * dead or held → received, due now, with a fresh budget of attempts and age. Returns false
   * when the message is unknown or in another state.
   */
  replay(id: string): Promise<boolean>;

  /** Every message in `state` (default dead) → received, as `replay` does. Returns how many. */
  replayAll(state?: ReplayableState): Promise<number>;

  /** Deletes (or with `dryRun` counts) finished or parked messages. Returns how many. */
  purge(options: PurgeOptions): Promise<number>;

  get(id: string): Promise<InboxMessage | null>;
  list(filter?: ListFilter): Promise<InboxMessage[]>;
  countByState(): Promise<StateCounts>;

  /**
   * Legacy mode: the SessionId of the newest message from `organizationId` received after
   * `since`, or null. Only the worker calls this; it never reaches a listing.
   */
  newerSessionId(organizationId: string, since: Date): Promise<string | null>;

  /**
   * Calls `onArrival` when another process stored new work, so an idle worker wakes at once
   * instead of at its next poll. Optional: a store whose writers all live in one process (SQLite
   * here) has nothing to add to the listener's own nudge. Returns an unsubscribe function.
   */
  watchArrivals?(onArrival: () => void): () => void;

  /** True when the store can commit a write right now (used by `/readyz`). */
  isWritable(): Promise<boolean>;

  close(): Promise<void>;
}
