import { idChecksum } from '../../soap/index.ts';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Makes ids shaped like a real org's: key prefix (3) + pod/instance (2) + counter in base 62
 * (10), plus the 3-character checksum that makes them 18 characters and case-insensitive.
 */
export class IdFactory {
  #counter: number;

  constructor(
    private readonly instance = '5g',
    start = 1,
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
