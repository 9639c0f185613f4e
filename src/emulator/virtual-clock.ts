import type { Clock } from '../shared/index.ts';

/**
 * Real time plus an offset that only grows: `POST /emulator/clock/advance` moves the whole org
 * (session expiry, retry schedule, the 24-hour drop) forward, so a test runs a day in seconds.
 */
export class VirtualClock implements Clock {
  #offsetMs = 0;
  readonly #listeners: (() => void)[] = [];

  constructor(private readonly base: Clock = { now: () => new Date() }) {}

  now(): Date {
    return new Date(this.base.now().getTime() + this.#offsetMs);
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`the clock only moves forward; got ${ms} ms`);
    this.#offsetMs += ms;
    for (const listener of this.#listeners) listener();
    return this.now();
  }

  onAdvance(listener: () => void): void {
    this.#listeners.push(listener);
  }
}
