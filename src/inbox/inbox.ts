import type { FieldValue, OutboundMessage } from '../soap/index.ts';
import type { MessageState } from './state-machine.ts';

/** What one `store` call did: the listener acks only after it resolves. */
export interface StoreResult {
  /** Notifications in the message. */
  readonly received: number;
  /** Notifications that were new and are now committed. */
  readonly inserted: number;
  /** Notifications already in the inbox (Salesforce redelivered them), left untouched. */
  readonly duplicates: number;
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
}

export interface ClaimOptions {
  /** Identifies the claiming worker; every later transition must present it. */
  readonly owner: string;
  /** Most messages to claim at once. */
  readonly limit: number;
  /** How long the claim holds before another worker may take the message over. */
  readonly leaseMs: number;
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
  store(message: OutboundMessage): Promise<StoreResult>;

  /**
   * Claims up to `limit` due messages (received, retry_wait whose time has come, or
   * processing whose lease expired), oldest first, at most one per record, and never a record
   * that another live lease holds. Claiming increments `attempts`.
   */
  claim(options: ClaimOptions): Promise<ClaimedMessage[]>;

  /** processing → done, only for the lease owner. Returns false if the lease was lost. */
  complete(id: string, owner: string): Promise<boolean>;

  /** processing → retry_wait or dead, only for the lease owner. Returns false if the lease was lost. */
  fail(id: string, owner: string, failure: Failure): Promise<boolean>;

  /** dead → received, due now. Returns false when the message is unknown or not dead. */
  replay(id: string): Promise<boolean>;

  /** Every dead message → received. Returns how many. */
  replayDead(): Promise<number>;

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
