import type { Clock } from '../../src/shared/index.ts';

/** A clock the test moves by hand, so leases and retries expire without waiting. */
export class ManualClock implements Clock {
  #ms: number;

  constructor(start: Date = new Date('2026-03-02T09:00:00.000Z')) {
    this.#ms = start.getTime();
  }

  now(): Date {
    return new Date(this.#ms);
  }

  advance(ms: number): Date {
    this.#ms += ms;
    return this.now();
  }
}
