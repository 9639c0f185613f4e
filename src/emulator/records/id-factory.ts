import { randomInt } from 'node:crypto';
import { idChecksum } from '../../soap/index.ts';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** 2020-01-01T00:00:00Z: the counter's time part counts milliseconds from here. */
const EPOCH_MS = Date.UTC(2020, 0, 1);
/** Counter positions per millisecond: no emulator hands out 4096 ids a millisecond. */
const SLOTS_PER_MS = 4096;

/**
 * Where a fresh org's counter starts: milliseconds since 2020 times 4096, plus a random slot.
 * Salesforce never reuses an id, so neither may the emulator: a restart (with or without a
 * data file) starts beyond every id an earlier run could have handed out, and two emulators
 * started in the same millisecond are kept apart by the random slot. Stays a safe integer
 * until 2088 and fits the 10 base-62 digits with room to spare.
 */
export function timeBasedStart(nowMs = Date.now()): number {
  return Math.max(0, Math.floor(nowMs) - EPOCH_MS) * SLOTS_PER_MS + randomInt(SLOTS_PER_MS);
}

/**
 * Makes ids shaped like a real org's: key prefix (3) + pod/instance (2) + counter in base 62
 * (10), plus the 3-character checksum that makes them 18 characters and case-insensitive.
 */
export class IdFactory {
  #counter: number;

  constructor(
    private readonly instance = '5g',
    start = timeBasedStart(),
  ) {
    this.#counter = start;
  }

  next(keyPrefix: string): string {
    let n = this.#counter++;
    let digits = '';
    for (let i = 0; i < 10; i++) {
      digits = BASE62.charAt(n % 62) + digits;
      n = Math.floor(n / 62);
    }
    const id15 = `${keyPrefix}${this.instance}${digits}`;
    return id15 + idChecksum(id15);
  }

  /** Moves the counter forward (never back), e.g. to where a persisted org stopped. */
  skipTo(position: number): void {
    this.#counter = Math.max(this.#counter, position);
  }

  /** Where the counter stands, so a persisted org continues without reusing ids. */
  get position(): number {
    return this.#counter;
  }
}
