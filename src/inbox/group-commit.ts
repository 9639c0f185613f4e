import type { OutboundMessage } from '../soap/index.ts';
import type { NotificationConflictError } from './errors.ts';
import type { StoreOptions, StoreResult } from './inbox.ts';

/** One message and how to store it, as `Inbox.store` received them. */
export interface PendingStore {
  readonly message: OutboundMessage;
  readonly options: StoreOptions;
}

/** One message's outcome inside a group: its counts, or the error that refused it alone. */
export type MessageOutcome =
  | { readonly ok: true; readonly result: StoreResult }
  | { readonly ok: false; readonly error: NotificationConflictError };

/**
 * Most messages one commit carries by default. Bounds how long a single transaction holds the
 * event loop (and SQLite's write lock); what is left over goes into the next commit straight away.
 */
export const MAX_GROUP_MESSAGES = 256;

/** The operation named in a group's errors: what was being stored, and how many messages. */
export function describeStore(messages: readonly OutboundMessage[]): string {
  const count = messages.reduce((sum, message) => sum + message.notifications.length, 0);
  const group = messages.length > 1 ? ` (${messages.length} messages in one commit)` : '';
  return `store ${count} notification${count === 1 ? '' : 's'}${group}`;
}

interface Waiter {
  readonly pending: PendingStore;
  readonly resolve: (result: StoreResult) => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /**
   * Commits a group in one transaction, synchronously (SQLite) or not (PostgreSQL); throws or
   * rejects when the transaction as a whole failed.
   */
  readonly commit: (group: readonly PendingStore[]) => MessageOutcome[] | Promise<MessageOutcome[]>;
  /** Turns a failed commit into the error every waiter of that group receives. */
  readonly toError: (error: unknown, group: readonly PendingStore[]) => unknown;
  /** Most messages in one group (default `MAX_GROUP_MESSAGES`). */
  readonly maxMessages?: number;
  /**
   * Most notifications in one group, counting a first message whole however large (default
   * unbounded). Where the rows, not the commit, are the cost, smaller groups let several
   * commits run side by side.
   */
  readonly maxNotifications?: number;
  /**
   * Most asynchronous commits in flight at once (default unbounded). While they are all busy,
   * new stores wait and join the next group, so a slow commit makes the next group larger
   * instead of adding one more transaction.
   */
  readonly maxInFlight?: number;
}

/**
 * Group commit: `store()` calls that arrive while the event loop is busy (parsing other
 * requests, or blocked in the previous commit's fsync) are committed together in one
 * transaction, so one fsync pays for every request waiting instead of one each.
 *
 * Batching needs no timer: a call only queues, and the flush runs in `setImmediate`, i.e.
 * after the event loop has handed every request that is already readable to its handler.
 * Under no load a group is one message and waits no longer than before; under load the
 * groups grow by themselves. Each caller's promise settles only after the commit that holds
 * its message has returned (ack after commit); if that commit fails, every caller in the
 * group is rejected and nothing of theirs is stored.
 */
export class GroupCommit {
  readonly #options: GroupCommitOptions;
  readonly #maxMessages: number;
  readonly #maxInFlight: number;
  readonly #maxNotifications: number;
  readonly #inFlight = new Set<Promise<void>>();
  #queue: Waiter[] = [];
  #scheduled = false;

  constructor(options: GroupCommitOptions) {
    this.#options = options;
    this.#maxMessages = options.maxMessages ?? MAX_GROUP_MESSAGES;
    this.#maxInFlight = options.maxInFlight ?? Number.POSITIVE_INFINITY;
    this.#maxNotifications = options.maxNotifications ?? Number.POSITIVE_INFINITY;
  }

  /** Messages queued and not yet committed. */
  get pending(): number {
    return this.#queue.length;
  }

  store(pending: PendingStore): Promise<StoreResult> {
    return new Promise<StoreResult>((resolve, reject) => {
      this.#queue.push({ pending, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /**
   * Starts committing everything queued, in groups of at most `maxMessages` (also used by
   * close). A synchronous commit has settled every caller when this returns; the promise
   * resolves once every commit in flight has settled too.
   */
  flush(): Promise<void> {
    this.#scheduled = false;
    this.#startGroups(Number.POSITIVE_INFINITY);
    return this.#drained();
  }

  async #drained(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }

  #startGroups(limit: number): void {
    while (this.#queue.length > 0 && this.#inFlight.size < Math.min(limit, this.#maxInFlight)) {
      const group = this.#queue.splice(0, this.#groupSize());
      const settling = this.#commitGroup(group);
      if (settling === undefined) continue;
      this.#inFlight.add(settling);
      void settling.then(() => {
        this.#inFlight.delete(settling);
        // What queued while every slot was busy goes out now, as one group.
        this.#startGroups(Number.POSITIVE_INFINITY);
      });
    }
  }

  /** How many queued messages the next group takes: at least one, within both budgets. */
  #groupSize(): number {
    let size = 0;
    let notifications = 0;
    for (const waiter of this.#queue) {
      notifications += waiter.pending.message.notifications.length;
      if (size === this.#maxMessages || (size > 0 && notifications > this.#maxNotifications)) break;
      size += 1;
    }
    return size;
  }

  /** Settles every waiter of the group; never throws nor rejects (that would strand the next group). */
  #commitGroup(group: readonly Waiter[]): Promise<void> | undefined {
    const pending = group.map((waiter) => waiter.pending);
    const fail = (error: unknown): void => {
      const reason = this.#options.toError(error, pending);
      for (const waiter of group) waiter.reject(reason);
    };
    let outcomes: MessageOutcome[] | Promise<MessageOutcome[]>;
    try {
      outcomes = this.#options.commit(pending);
    } catch (error) {
      fail(error);
      return undefined;
    }
    if (!(outcomes instanceof Promise)) {
      settle(group, outcomes);
      return undefined;
    }
    return outcomes.then((settled) => settle(group, settled), fail);
  }
}

function settle(group: readonly Waiter[], outcomes: readonly MessageOutcome[]): void {
  group.forEach((waiter, index) => {
    const outcome = outcomes[index];
    if (outcome === undefined) waiter.reject(new Error('group commit returned no outcome'));
    else if (outcome.ok) waiter.resolve(outcome.result);
    else waiter.reject(outcome.error);
  });
}
