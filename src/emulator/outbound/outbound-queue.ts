import type { Clock } from '../../shared/index.ts';
import type { IdFactory } from '../records/id-factory.ts';
import type { OutboundMessageDefinition } from './definition.ts';

/** One pending notification, as Setup → Outbound Messages monitoring shows it. */
export interface QueuedNotification {
  /** The `04l…` notification id: stays the same on every retry, which is what receivers dedupe on. */
  readonly id: string;
  readonly definition: OutboundMessageDefinition;
  readonly recordId: string;
  readonly createdAt: Date;
  attempts: number;
  nextAttemptAt: Date;
  lastAttemptAt: Date | null;
  lastError: string | null;
  inFlight: boolean;
}

export interface DroppedNotification {
  readonly id: string;
  readonly definition: string;
  readonly recordId: string;
  readonly attempts: number;
  readonly droppedAt: Date;
  readonly lastError: string | null;
}

const NOTIFICATION_KEY_PREFIX = '04l';

export class OutboundQueue {
  readonly #items = new Map<string, QueuedNotification>();
  readonly #dropped: DroppedNotification[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly ids: IdFactory,
  ) {}

  enqueue(definition: OutboundMessageDefinition, recordId: string): QueuedNotification {
    const now = this.clock.now();
    const item: QueuedNotification = {
      id: this.ids.next(NOTIFICATION_KEY_PREFIX),
      definition,
      recordId,
      createdAt: now,
      attempts: 0,
      nextAttemptAt: now,
      lastAttemptAt: null,
      lastError: null,
      inFlight: false,
    };
    this.#items.set(item.id, item);
    return item;
  }

  /** Notifications whose time has come and that no delivery is carrying right now. */
  due(): QueuedNotification[] {
    const now = this.clock.now().getTime();
    return [...this.#items.values()].filter(
      (item) => !item.inFlight && item.nextAttemptAt.getTime() <= now,
    );
  }

  /** Drops every notification older than `maxAgeMs`, as Salesforce does at 24 hours. */
  dropExpired(maxAgeMs: number): DroppedNotification[] {
    const now = this.clock.now();
    const dropped: DroppedNotification[] = [];
    for (const item of this.#items.values()) {
      if (item.inFlight || now.getTime() - item.createdAt.getTime() < maxAgeMs) continue;
      this.#items.delete(item.id);
      dropped.push({
        id: item.id,
        definition: item.definition.name,
        recordId: item.recordId,
        attempts: item.attempts,
        droppedAt: now,
        lastError: item.lastError,
      });
    }
    this.#dropped.push(...dropped);
    return dropped;
  }

  complete(id: string): void {
    this.#items.delete(id);
  }

  get(id: string): QueuedNotification | undefined {
    return this.#items.get(id);
  }

  /** Setup's "Retry": due now. */
  retryNow(id: string): boolean {
    const item = this.#items.get(id);
    if (!item) return false;
    item.nextAttemptAt = this.clock.now();
    return true;
  }

  /** Setup's "Del". */
  delete(id: string): boolean {
    return this.#items.delete(id);
  }

  list(): QueuedNotification[] {
    return [...this.#items.values()];
  }

  dropped(): readonly DroppedNotification[] {
    return this.#dropped;
  }

  get size(): number {
    return this.#items.size;
  }
}
