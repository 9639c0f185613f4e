import type Database from 'better-sqlite3';

interface Waiter {
  readonly step: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Runs small writes that arrive in the same turn of the event loop in one transaction: one
 * WAL commit, one fsync, for what would otherwise be one each. The worker settles a batch of
 * up to 200 notifications at once (complete, fail, release) and renews their leases together,
 * so on a disk whose fsync takes milliseconds this is the difference between one wait and 200.
 *
 * Like the stores' group commit, it needs no timer: a write only queues, and the flush runs in
 * `setImmediate`. Each caller's promise settles after the commit that holds its write (a result
 * is not reported before it is durable). A step that throws undoes the whole group and every
 * caller in it is rejected: the writes are single-row UPDATEs by key, so what can make one fail
 * (a full disk, an I/O error, a lock held too long) fails all of them alike.
 */
export class GroupedWrites {
  readonly #db: Database.Database;
  #queue: Waiter[] = [];
  #scheduled = false;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  run<T>(step: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ step, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits what is queued now; call it before closing the database. */
  flush(): void {
    this.#scheduled = false;
    const group = this.#queue;
    this.#queue = [];
    if (group.length === 0) return;
    let results: unknown[];
    try {
      results = this.#db.transaction(() => group.map((waiter) => waiter.step()))();
    } catch (error) {
      for (const waiter of group) waiter.reject(error);
      return;
    }
    group.forEach((waiter, index) => waiter.resolve(results[index]));
  }
}
