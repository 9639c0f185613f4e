import type { Clock, Logger } from '../shared/index.ts';
import type { Inbox } from '../inbox/index.ts';

/** Rows deleted per statement: short transactions that never hold the inbox up. */
export const RETENTION_BATCH = 500;
/** How often the sweep runs (and once at start). */
const SWEEP_EVERY_MS = 10 * 60_000;
const DAY_MS = 86_400_000;

/**
 * Deletes done notifications older than `doneDays`, a small batch at a time, so the inbox does
 * not grow for ever. Dead and held ones are kept until an operator replays or purges them.
 * Every worker sweeps; on a shared database the sweeps simply find less to do.
 */
export class RetentionSweeper {
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<number> | undefined;

  constructor(
    private readonly inbox: Inbox,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly doneDays: number,
  ) {}

  start(): void {
    if (this.#timer !== undefined) return;
    void this.sweep();
    this.#timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#sweeping;
  }

  /** One sweep; returns how many rows it deleted. Never throws: a failed sweep waits for the next. */
  sweep(): Promise<number> {
    this.#sweeping ??= this.#sweepOnce().finally(() => {
      this.#sweeping = undefined;
    });
    return this.#sweeping;
  }

  async #sweepOnce(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - this.doneDays * DAY_MS);
    let total = 0;
    try {
      for (;;) {
        const deleted = await this.inbox.purge({
          states: ['done'],
          before,
          limit: RETENTION_BATCH,
        });
        total += deleted;
        if (deleted < RETENTION_BATCH) break;
      }
    } catch (error) {
      this.logger.warn(
        { event: 'retention.failed', err: error, deleted: total },
        'could not delete old done notifications; will try again at the next sweep',
      );
    }
    if (total > 0) {
      this.logger.info(
        { event: 'retention.deleted', deleted: total, doneDays: this.doneDays },
        'deleted done notifications past the retention period',
      );
    }
    return total;
  }
}
