import type { ClaimedMessage, Inbox } from '../inbox/index.ts';
import { type Logger, messageOf } from '../shared/index.ts';

/** Why the work on a notification was stopped before it finished. */
export class LeaseLostError extends Error {
  readonly code = 'LEASE_LOST';
}

/**
 * Keeps one claim alive while its work runs: renews the lease every third of its length, and
 * aborts the work (through `signal`) the moment the lease is no longer ours — another worker
 * took it over, or renewals kept failing until the lease ran out by our own watch. So a slow
 * ERP or Salesforce call never lets a second worker run the same notification at once, and a
 * worker cut off from the inbox stops instead of finishing work someone else now owns.
 */
export class LeaseKeeper {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  /** Monotonic time until which the lease is known to hold. */
  #heldUntil: number;
  readonly #intervalMs: number;
  #renewing = false;

  constructor(
    readonly message: ClaimedMessage,
    private readonly inbox: Inbox,
    private readonly leaseMs: number,
    private readonly logger: Logger,
  ) {
    this.#heldUntil = performance.now() + leaseMs;
    this.#intervalMs = Math.max(1, Math.floor(leaseMs / 3));
    this.#timer = setInterval(() => void this.#renew(), this.#intervalMs);
    this.#timer.unref();
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Stops the work with `reason` (a worker stopping, or the lease gone). */
  abort(reason: string): void {
    if (!this.#controller.signal.aborted) this.#controller.abort(new LeaseLostError(reason));
  }

  /** Stops renewing; call when the outcome is recorded or the work given up. */
  stop(): void {
    clearInterval(this.#timer);
  }

  async #renew(): Promise<void> {
    if (this.#renewing || this.signal.aborted) return;
    this.#renewing = true;
    const started = performance.now();
    const { id, leaseToken } = this.message;
    try {
      if (await this.inbox.renewLease(id, leaseToken, this.leaseMs)) {
        this.#heldUntil = started + this.leaseMs;
        return;
      }
      this.abort('the lease was taken over by another claim');
      this.stop();
    } catch (error) {
      // The inbox did not answer: the lease holds until its own end, and no longer. Stop before
      // the next try would come too late.
      if (performance.now() + this.#intervalMs >= this.#heldUntil) {
        this.abort(`the lease ran out while the inbox could not be reached (${messageOf(error)})`);
        this.stop();
      } else {
        this.logger.warn(
          { event: 'worker.renew_failed', notificationId: id, err: error },
          'could not renew a lease; will try again before it runs out',
        );
      }
    } finally {
      this.#renewing = false;
    }
  }
}
