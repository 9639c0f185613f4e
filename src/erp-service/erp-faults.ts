import { seededRandom } from '../shared/index.ts';

export interface ErpFaultSettings {
  /** Chance (0..1) that a `POST /orders` answers 503 without touching the database. */
  readonly errorRate: number;
  /** The next N `POST /orders` answer 503 without touching the database (before `errorRate`). */
  readonly failNext: number;
  /** Added before every `POST /orders` is handled. */
  readonly latencyMs: number;
  /** The next N `POST /orders` that commit (or find) their order lose the connection instead of replying. */
  readonly dropAfterCommitNext: number;
  /** Chance (0..1) that a `POST /orders` that commits (or finds) its order loses the connection instead of replying. */
  readonly dropRate: number;
  /**
   * Chance (0..1) that a `POST /orders` is held for `timeoutMs` before it is handled normally:
   * longer than the client waits, so it gives up and retries while the first request still
   * commits behind its back.
   */
  readonly timeoutRate: number;
  /** How long a `timeoutRate` request is held. */
  readonly timeoutMs: number;
}

export interface ErpFaultPatch extends Partial<ErpFaultSettings> {
  /** Makes the `errorRate`, `dropRate` and `timeoutRate` draws repeatable from here on. */
  readonly seed?: number;
}

export interface ErpFaultState extends ErpFaultSettings {
  /** Faults suffered so far, for a chaos run to report what it actually exercised. */
  readonly injected: { readonly errors: number; readonly drops: number; readonly timeouts: number };
}

const NONE: ErpFaultSettings = {
  errorRate: 0,
  failNext: 0,
  latencyMs: 0,
  dropAfterCommitNext: 0,
  dropRate: 0,
  timeoutRate: 0,
  timeoutMs: 15_000,
};

function checkCount(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0))
    throw new RangeError(`${name} must be a whole number, 0 or more`);
}

function checkRate(name: string, value: number | undefined): void {
  if (value !== undefined && !(value >= 0 && value <= 1))
    throw new RangeError(`${name} must be between 0 and 1`);
}

/**
 * What the reference ERP's order creation should suffer next. Only `POST /orders` is affected:
 * reads stay reliable so a test can always check what was committed.
 */
export class ErpFaults {
  #settings: ErpFaultSettings = NONE;
  #random: () => number = Math.random;
  #errors = 0;
  #drops = 0;
  #timeouts = 0;

  set(patch: ErpFaultPatch): void {
    checkRate('errorRate', patch.errorRate);
    checkRate('dropRate', patch.dropRate);
    checkRate('timeoutRate', patch.timeoutRate);
    checkCount('failNext', patch.failNext);
    checkCount('latencyMs', patch.latencyMs);
    checkCount('dropAfterCommitNext', patch.dropAfterCommitNext);
    checkCount('timeoutMs', patch.timeoutMs);
    const current = this.#settings;
    this.#settings = {
      errorRate: patch.errorRate ?? current.errorRate,
      failNext: patch.failNext ?? current.failNext,
      latencyMs: patch.latencyMs ?? current.latencyMs,
      dropAfterCommitNext: patch.dropAfterCommitNext ?? current.dropAfterCommitNext,
      dropRate: patch.dropRate ?? current.dropRate,
      timeoutRate: patch.timeoutRate ?? current.timeoutRate,
      timeoutMs: patch.timeoutMs ?? current.timeoutMs,
    };
    if (patch.seed !== undefined) this.#random = seededRandom(patch.seed);
  }

  clear(): void {
    this.#settings = NONE;
    this.#random = Math.random;
  }

  state(): ErpFaultState {
    return {
      ...this.#settings,
      injected: { errors: this.#errors, drops: this.#drops, timeouts: this.#timeouts },
    };
  }

  get latencyMs(): number {
    return this.#settings.latencyMs;
  }

  #draw(rate: number): boolean {
    return rate > 0 && this.#random() < rate;
  }

  /** Draws against `timeoutRate`; the number of ms to hold this request, or 0. */
  takeTimeout(): number {
    if (!this.#draw(this.#settings.timeoutRate)) return 0;
    this.#timeouts += 1;
    return this.#settings.timeoutMs;
  }

  /** Consumes one planned failure, or draws against the rate; true means answer 503. */
  takeFailure(): boolean {
    if (this.#settings.failNext > 0) {
      this.#settings = { ...this.#settings, failNext: this.#settings.failNext - 1 };
    } else if (!this.#draw(this.#settings.errorRate)) {
      return false;
    }
    this.#errors += 1;
    return true;
  }

  /** Consumes one planned drop, or draws against `dropRate`; true means destroy the socket instead of replying. */
  takeDrop(): boolean {
    if (this.#settings.dropAfterCommitNext > 0) {
      this.#settings = {
        ...this.#settings,
        dropAfterCommitNext: this.#settings.dropAfterCommitNext - 1,
      };
    } else if (!this.#draw(this.#settings.dropRate)) {
      return false;
    }
    this.#drops += 1;
    return true;
  }
}
