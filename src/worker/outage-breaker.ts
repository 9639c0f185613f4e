import type { Clock } from '../shared/index.ts';

export type OutcomeKind = 'done' | 'retry' | 'dead';

export interface OutageBreakerSettings {
  /** Consecutive retry outcomes that mean "a peer is down", not "this notification is bad". */
  readonly threshold: number;
  readonly initialPauseMs: number;
  readonly maxPauseMs: number;
}

/**
 * Stops a worker from burning through its whole backlog while Salesforce or the ERP is down.
 * Without it every queued notification is claimed, fails in milliseconds and spends one of its
 * `maxAttempts`, so an hour-long outage turns a healthy backlog into dead letters (and floods
 * the log). After `threshold` retries in a row the worker stops claiming for a pause that
 * doubles on each trip; one success or definitive answer (done, dead) closes it again.
 */
export class OutageBreaker {
  readonly #settings: OutageBreakerSettings;
  readonly #clock: Clock;
  #consecutiveRetries = 0;
  #trips = 0;
  #pausedUntil = 0;

  constructor(settings: OutageBreakerSettings, clock: Clock) {
    this.#settings = settings;
    this.#clock = clock;
  }

  /** Records an outcome; returns the pause just started, in ms, or 0 when claiming goes on. */
  record(kind: OutcomeKind): number {
    if (kind !== 'retry') {
      this.#consecutiveRetries = 0;
      this.#trips = 0;
      this.#pausedUntil = 0;
      return 0;
    }
    this.#consecutiveRetries += 1;
    if (this.#consecutiveRetries < this.#settings.threshold || this.pauseRemainingMs() > 0)
      return 0;
    const pause = Math.min(
      this.#settings.maxPauseMs,
      this.#settings.initialPauseMs * 2 ** Math.min(this.#trips, 30),
    );
    this.#trips += 1;
    this.#consecutiveRetries = 0;
    this.#pausedUntil = this.#clock.now().getTime() + pause;
    return pause;
  }

  /** How long the worker should still hold off claiming. */
  pauseRemainingMs(): number {
    return Math.max(0, this.#pausedUntil - this.#clock.now().getTime());
  }
}
