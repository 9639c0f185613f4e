import type { ErpOrderRequest } from '../erp/index.ts';
import type { CreateOutcome, OrderStore, PendingOrder } from './order-store.ts';

/** Most orders one commit carries, so one transaction never holds the event loop for long. */
const MAX_GROUP_ORDERS = 256;

interface Waiter {
  readonly pending: PendingOrder;
  readonly resolve: (outcome: CreateOutcome) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit for order creation: creates that arrive while the event loop is busy (handling
 * other requests, or blocked in the previous commit's fsync) share one transaction and one
 * fsync. The flush runs in `setImmediate`, after every request already readable has been
 * handed to its handler, so an idle ERP commits each order at once and a busy one batches by
 * itself. Each caller is answered only after the commit holding its order returned, so an
 * order the ERP has answered for is durable, as with one commit per order.
 */
export class OrderCommits {
  readonly #store: OrderStore;
  #queue: Waiter[] = [];
  #scheduled = false;

  constructor(store: OrderStore) {
    this.#store = store;
  }

  create(request: ErpOrderRequest, idempotencyKey: string): Promise<CreateOutcome> {
    return new Promise<CreateOutcome>((resolve, reject) => {
      this.#queue.push({ pending: { request, idempotencyKey }, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits everything queued now (also before the database closes). */
  flush(): void {
    this.#scheduled = false;
    while (this.#queue.length > 0) this.#commit(this.#queue.splice(0, MAX_GROUP_ORDERS));
  }

  /** Settles every waiter of the group; never throws, or the next group would be stranded. */
  #commit(group: readonly Waiter[]): void {
    let outcomes: ReturnType<OrderStore['createMany']>;
    try {
      outcomes = this.#store.createMany(group.map((waiter) => waiter.pending));
    } catch (error) {
      for (const waiter of group) waiter.reject(error);
      return;
    }
    group.forEach((waiter, index) => {
      const outcome = outcomes[index];
      if (outcome === undefined) waiter.reject(new Error('the group commit lost an order'));
      else if (outcome.kind === 'failed') waiter.reject(outcome.error);
      else waiter.resolve(outcome);
    });
  }
}
