import type { StoreResult } from '../inbox.ts';
import type { MessageOutcome, PendingStore } from './store-message.ts';

/**
 * Most messages one commit carries. Bounds how long a single transaction holds the event loop
 * (and the file's write lock); what is left over goes into the next commit straight away.
 */
export const MAX_GROUP_MESSAGES = 256;

interface Waiter {
  readonly pending: PendingStore;
  readonly resolve: (result: StoreResult) => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Commits a group in one transaction; throws when the transaction as a whole failed. */
  readonly commit: (group: readonly PendingStore[]) => MessageOutcome[];
  /** Turns a failed commit into the error every waiter of that group receives. */
  readonly toError: (error: unknown, group: readonly PendingStore[]) => unknown;
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
  #queue: Waiter[] = [];
  #scheduled = false;

  constructor(options: GroupCommitOptions) {
    this.#options = options;
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
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits everything queued now, in groups of at most `MAX_GROUP_MESSAGES` (also used by close). */
  flush(): void {
    this.#scheduled = false;
    while (this.#queue.length > 0) {
      const group = this.#queue.splice(0, MAX_GROUP_MESSAGES);
      this.#commitGroup(group);
    }
  }

  /** Settles every waiter of the group; never throws (a throw here would strand the next group). */
  #commitGroup(group: readonly Waiter[]): void {
    const pending = group.map((waiter) => waiter.pending);
    let outcomes: MessageOutcome[];
    try {
      outcomes = this.#options.commit(pending);
    } catch (error) {
      const reason = this.#options.toError(error, pending);
      for (const waiter of group) waiter.reject(reason);
      return;
    }
    group.forEach((waiter, index) => {
      const outcome = outcomes[index];
      if (outcome === undefined) waiter.reject(new Error('group commit returned no outcome'));
      else if (outcome.ok) waiter.resolve(outcome.result);
      else waiter.reject(outcome.error);
    });
  }
}
