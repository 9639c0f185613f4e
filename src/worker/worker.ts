import { messageOf, type Clock, type Logger } from '../shared/index.ts';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ErpPort } from '../erp/index.ts';
import type { ClaimedMessage, Inbox } from '../inbox/index.ts';
import type { SalesforceClient } from '../salesforce/index.ts';
import { fullJitterDelayMs } from './backoff.ts';
import type { Outcome } from './process-notification.ts';
import { HANDED_BACK, processBatch, type BatchItem, type BatchOutcome } from './process-batch.ts';
import { MAX_BATCH_SIZE } from './batch-size.ts';
import { OutageBreaker } from './outage-breaker.ts';
import { LeaseKeeper } from './lease-keeper.ts';
import { RetentionSweeper } from './retention.ts';

export interface WorkerSettings {
  /** ERP orders in flight at once, within a batch. */
  readonly concurrency: number;
  /**
   * Most notifications claimed and processed as one batch (default and most: 200, what one
   * sObject Collections or SOAP `update` call takes).
   */
  readonly batchSize?: number;
  readonly leaseSeconds: number;
  readonly pollMs: number;
  readonly maxAttempts: number;
  readonly maxAgeHours: number;
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
}

export interface WorkerOptions {
  readonly inbox: Inbox;
  readonly salesforce: SalesforceClient;
  readonly erp: ErpPort;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: WorkerSettings;
  readonly random?: () => number;
  /** Identifies this worker on its leases; defaults to host:pid:random. */
  readonly owner?: string;
  /** Told about every recorded outcome and how long the notification took (metrics). */
  readonly onOutcome?: (outcome: Outcome, seconds: number) => void;
  /** Done notifications older than this many days are deleted; omit to keep them all. */
  readonly retentionDoneDays?: number;
}

export interface WorkerStats {
  readonly done: number;
  readonly retried: number;
  readonly dead: number;
  readonly leaseLost: number;
}

/** Retries in a row (at least this many, or twice the concurrency) that pause claiming. */
const OUTAGE_MIN_THRESHOLD = 5;
/** The longest pause: an outage's end is noticed within a minute. */
const OUTAGE_MAX_PAUSE_MS = 60_000;

/** How long `stop()` waits for work in flight before releasing it for another worker. */
const STOP_GRACE_MS = 30_000;

/**
 * Claims due notifications with a lease, up to 200 at once as one batch (the inbox never hands
 * out two of one record at once), and processes the batch at the Salesforce API cost of one
 * notification, with up to `concurrency` ERP calls at a time. A worker that dies simply stops renewing nothing:
 * its leases expire and another worker takes the notifications over.
 */
export class Worker {
  readonly owner: string;
  readonly #options: WorkerOptions;
  /** Work in flight, by lease token: a re-claim of the same notification is another entry. */
  readonly #inFlight = new Map<
    string,
    { readonly keeper: LeaseKeeper; readonly task: Promise<void> }
  >();
  readonly #random: () => number;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #stats = { done: 0, retried: 0, dead: 0, leaseLost: 0 };
  readonly #breaker: OutageBreaker;
  readonly #outageThreshold: number;
  readonly #retention: RetentionSweeper | undefined;

  constructor(options: WorkerOptions) {
    this.#options = options;
    this.#random = options.random ?? Math.random;
    const { settings } = options;
    this.#outageThreshold = Math.max(OUTAGE_MIN_THRESHOLD, 2 * settings.concurrency);
    this.#breaker = new OutageBreaker(
      {
        threshold: this.#outageThreshold,
        initialPauseMs: settings.backoffInitialMs,
        maxPauseMs: Math.min(settings.backoffMaxMs, OUTAGE_MAX_PAUSE_MS),
      },
      options.clock,
    );
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.#retention =
      options.retentionDoneDays === undefined
        ? undefined
        : new RetentionSweeper(
            options.inbox,
            options.clock,
            options.logger,
            options.retentionDoneDays,
          );
  }

  get stats(): WorkerStats {
    return { ...this.#stats };
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
    this.#retention?.start();
  }

  /** Looks for work now instead of at the next poll (e.g. right after the listener stored some). */
  nudge(): void {
    this.#wake?.();
  }

  /**
   * Stops claiming, lets work in flight finish for `graceMs`, then aborts what is still running
   * and hands it back (due now, its attempt given back) for another worker, so nothing is
   * abandoned silently. One failed hand-back does not stop the others; those whose hand-back
   * failed come back when their lease runs out.
   */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.nudge();
    await this.#loop;
    await this.#retention?.stop();
    const pending = [...this.#inFlight.values()];
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      Promise.all(pending.map((work) => work.task)).then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (finished) return;
    const { inbox, logger } = this.#options;
    const unfinished = [...this.#inFlight.values()];
    // Aborted work records nothing, and a call that ignores the abort (a hung read-back) can
    // no longer finish a released notification: its token is gone. So there is no need to
    // wait for it here.
    for (const { keeper } of unfinished) keeper.abort('the worker is stopping');
    const released = await Promise.allSettled(
      unfinished.map(async ({ keeper }) => {
        const { id, leaseToken } = keeper.message;
        if (await inbox.release(id, leaseToken)) {
          logger.warn(
            { event: 'worker.released', notificationId: id },
            'released an unfinished notification at shutdown',
          );
        }
      }),
    );
    for (const result of released) {
      if (result.status === 'rejected') {
        logger.error(
          { event: 'worker.release_failed', err: result.reason },
          'could not release a notification at shutdown; it comes back when its lease runs out',
        );
      }
    }
  }

  async #run(): Promise<void> {
    const { inbox, settings, logger } = this.#options;
    while (this.#running) {
      const paused = this.#breaker.pauseRemainingMs();
      if (paused > 0) {
        // In poll-sized steps: the pause is measured on the injected clock, which need not be
        // the wall clock (tests and the emulator move it), and stop() must not wait it out.
        await this.#sleep(Math.min(paused, settings.pollMs));
        continue;
      }
      // One batch at a time: what arrives while it runs waits for the next claim, which takes
      // it all at once (one read-back and one write-back for up to 200 notifications). A lone
      // notification is claimed at once, not held back to fill a batch.
      let claimed: ClaimedMessage[] = [];
      if (this.#inFlight.size === 0) {
        try {
          claimed = await inbox.claim({
            owner: this.owner,
            limit: Math.min(settings.batchSize ?? MAX_BATCH_SIZE, MAX_BATCH_SIZE),
            leaseMs: settings.leaseSeconds * 1000,
            maxAttempts: settings.maxAttempts,
          });
        } catch (error) {
          logger.error(
            { event: 'worker.claim_failed', err: error },
            'could not claim notifications; will try again',
          );
        }
      }
      if (claimed.length > 0) {
        // Each notification keeps its own lease and heartbeat: losing one stops only its steps.
        const keepers = claimed.map(
          (message) => new LeaseKeeper(message, inbox, settings.leaseSeconds * 1000, logger),
        );
        const task = this.#handleBatch(keepers).finally(() => {
          for (const keeper of keepers) {
            keeper.stop();
            this.#inFlight.delete(keeper.message.leaseToken);
          }
          this.nudge();
        });
        for (const keeper of keepers)
          this.#inFlight.set(keeper.message.leaseToken, { keeper, task });
      }
      await this.#sleep(settings.pollMs);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  async #handleBatch(keepers: readonly LeaseKeeper[]): Promise<void> {
    const { inbox, salesforce, erp, settings } = this.#options;
    const started = performance.now();
    const items: BatchItem[] = keepers.map(({ message, signal }) => ({ message, signal }));
    let outcomes: ReadonlyMap<BatchItem, BatchOutcome>;
    try {
      outcomes = await processBatch(items, {
        salesforce,
        erp,
        newerSessionId: (organizationId, since) => inbox.newerSessionId(organizationId, since),
        concurrency: settings.concurrency,
        outageThreshold: this.#outageThreshold,
      });
    } catch (error) {
      const unexpected: Outcome = {
        kind: 'retry',
        code: 'UNEXPECTED',
        error: messageOf(error),
        loud: true,
      };
      outcomes = new Map(items.map((item) => [item, unexpected]));
    }
    await Promise.all(
      keepers.map((keeper, index) => {
        const item = items[index];
        const outcome = item === undefined ? undefined : outcomes.get(item);
        if (outcome === HANDED_BACK) return this.#handBack(keeper);
        return this.#settle(
          keeper,
          outcome ?? {
            kind: 'retry',
            code: 'UNEXPECTED',
            error: 'the batch gave this notification no outcome',
            loud: true,
          },
          started,
        );
      }),
    );
  }

  /** Gives an untried notification its attempt back, for when the outage is over. */
  async #handBack(keeper: LeaseKeeper): Promise<void> {
    const { inbox, logger } = this.#options;
    keeper.stop();
    if (keeper.signal.aborted) return;
    const { id, leaseToken } = keeper.message;
    try {
      await inbox.release(id, leaseToken);
    } catch (error) {
      logger.error(
        { event: 'worker.release_failed', notificationId: id, err: error },
        'could not hand back an untried notification; it comes back when its lease runs out',
      );
    }
  }

  async #settle(keeper: LeaseKeeper, result: Outcome, started: number): Promise<void> {
    const { logger } = this.#options;
    const { message, signal } = keeper;
    let outcome = result;
    const context = {
      notificationId: message.id,
      recordId: message.recordId,
      attempt: message.attempts,
      ms: Math.round(performance.now() - started),
    };
    keeper.stop();
    if (signal.aborted) {
      // Whatever the steps returned, the lease is not ours to record on any more.
      this.#stats.leaseLost++;
      logger.warn(
        { event: 'worker.aborted', ...context, reason: messageOf(signal.reason) },
        'stopped work on a notification: its lease is no longer held',
      );
      return;
    }
    outcome = this.#applyLimits(message, outcome);
    try {
      const kept = await this.#record(message, outcome);
      if (!kept) {
        this.#stats.leaseLost++;
        logger.warn(
          { event: 'worker.lease_lost', ...context },
          'lease expired before the result was recorded; another worker owns it now',
        );
        return;
      }
    } catch (error) {
      // The lease will expire and the notification comes back: every step is idempotent.
      logger.error(
        { event: 'worker.record_failed', ...context, err: error },
        'could not record the outcome',
      );
      return;
    }
    this.#options.onOutcome?.(outcome, (performance.now() - started) / 1000);
    const pause = this.#breaker.record(outcome.kind);
    if (pause > 0) {
      logger.warn(
        {
          event: 'worker.paused',
          pauseMs: pause,
          code: outcome.kind === 'retry' ? outcome.code : undefined,
        },
        'every recent notification failed the same way: a peer looks down; pausing claims',
      );
    }
    if (outcome.kind === 'done') {
      this.#stats.done++;
      logger.info(
        { event: 'worker.done', ...context, note: outcome.note },
        'notification processed',
      );
    } else if (outcome.kind === 'retry') {
      this.#stats.retried++;
      const log = { event: 'worker.retry', ...context, code: outcome.code, error: outcome.error };
      if (outcome.loud)
        logger.error(
          log,
          'notification failed; every message will fail this way until the cause is fixed',
        );
      else logger.warn(log, 'notification failed; will retry');
    } else {
      this.#stats.dead++;
      logger.error(
        { event: 'worker.dead', ...context, code: outcome.code, reason: outcome.reason },
        'notification is dead; replay it once the cause is fixed',
      );
    }
  }

  /** A retry past the attempt or age limit becomes a dead letter that says why. */
  #applyLimits(message: ClaimedMessage, outcome: Outcome): Outcome {
    if (outcome.kind !== 'retry') return outcome;
    const { settings, clock } = this.#options;
    // Counted from arrival, or from the last replay: a replay starts a fresh budget.
    const ageMs = clock.now().getTime() - message.attemptsSince.getTime();
    if (message.attempts >= settings.maxAttempts) {
      return {
        kind: 'dead',
        code: outcome.code,
        reason: `gave up after ${message.attempts} attempts: ${outcome.error}`,
      };
    }
    if (ageMs >= settings.maxAgeHours * 3_600_000) {
      return {
        kind: 'dead',
        code: outcome.code,
        reason: `gave up after ${settings.maxAgeHours} hours: ${outcome.error}`,
      };
    }
    return outcome;
  }

  #record(message: ClaimedMessage, outcome: Outcome): Promise<boolean> {
    const { inbox, settings, clock } = this.#options;
    if (outcome.kind === 'done') return inbox.complete(message.id, message.leaseToken);
    if (outcome.kind === 'dead')
      return inbox.fail(message.id, message.leaseToken, {
        kind: 'permanent',
        error: `${outcome.code}: ${outcome.reason}`,
      });
    const delay = fullJitterDelayMs(
      message.attempts,
      settings.backoffInitialMs,
      settings.backoffMaxMs,
      this.#random,
    );
    return inbox.fail(message.id, message.leaseToken, {
      kind: 'retryable',
      error: `${outcome.code}: ${outcome.error}`,
      retryAt: new Date(clock.now().getTime() + delay),
    });
  }
}
