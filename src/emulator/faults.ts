import { seededRandom } from '../shared/index.ts';

/** What the next API calls should suffer (the control API's fault injection). */
export type ApiFaultKind = 'unavailable' | 'invalid_session' | 'unable_to_lock_row' | 'latency';
/** The kinds that make a call fail (everything but latency). */
export type ApiFailureKind = Exclude<ApiFaultKind, 'latency'>;
export const API_FAILURE_KINDS: readonly ApiFailureKind[] = [
  'unavailable',
  'invalid_session',
  'unable_to_lock_row',
];

export interface ApiFault {
  readonly kind: ApiFaultKind;
  /** For `latency`: added before the call is answered normally. */
  readonly latencyMs: number;
}

interface PendingFault extends ApiFault {
  remaining: number;
}

export interface FaultRate {
  /** Chance (0..1) that an API call fails with one of `kinds`, drawn per call. */
  readonly rate: number;
  readonly kinds: readonly ApiFailureKind[];
}

export interface FaultState {
  readonly pending: readonly { kind: ApiFaultKind; remaining: number; latencyMs: number }[];
  readonly rate: FaultRate;
  readonly duplicateDeliveries: boolean;
  readonly shuffleDeliveries: boolean;
  /** Failures injected so far (planned and drawn), for a chaos run to report what it exercised. */
  readonly injected: Readonly<Record<ApiFailureKind, number>>;
}

const NO_RATE: FaultRate = { rate: 0, kinds: [] };
const noneInjected = (): Record<ApiFailureKind, number> => ({
  unavailable: 0,
  invalid_session: 0,
  unable_to_lock_row: 0,
});

/**
 * Faults for tests: the next N API calls (REST, SOAP, Apex REST) fail or slow down in order of
 * injection, then a fraction of all calls fails at random; outbound deliveries can be doubled
 * and shuffled.
 */
export class FaultInjector {
  readonly #pending: PendingFault[] = [];
  #rate: FaultRate = NO_RATE;
  #random: () => number = Math.random;
  #injected = noneInjected();
  duplicateDeliveries = false;
  shuffleDeliveries = false;

  inject(kind: ApiFaultKind, count: number, latencyMs = 0): void {
    if (!Number.isInteger(count) || count < 1)
      throw new RangeError('count must be a whole number above 0');
    this.#pending.push({ kind, remaining: count, latencyMs });
  }

  /** From now on each API call fails with probability `rate`, with a kind drawn from `kinds`. */
  setRate(rate: number, kinds: readonly ApiFailureKind[] = API_FAILURE_KINDS, seed?: number): void {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError('rate must be between 0 and 1');
    if (rate > 0 && kinds.length === 0) throw new RangeError('kinds must name at least one kind');
    this.#rate = { rate, kinds: [...kinds] };
    if (seed !== undefined) this.#random = seededRandom(seed);
  }

  /** Consumes the fault the current API call should suffer, if any. */
  take(): ApiFault | undefined {
    const fault = this.#takePending() ?? this.#draw();
    if (fault && fault.kind !== 'latency') this.#injected[fault.kind] += 1;
    return fault;
  }

  #takePending(): ApiFault | undefined {
    const head = this.#pending[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) this.#pending.shift();
    return { kind: head.kind, latencyMs: head.latencyMs };
  }

  #draw(): ApiFault | undefined {
    const { rate, kinds } = this.#rate;
    if (!(rate > 0 && this.#random() < rate)) return undefined;
    const kind = kinds[Math.floor(this.#random() * kinds.length)];
    return kind === undefined ? undefined : { kind, latencyMs: 0 };
  }

  clear(): void {
    this.#pending.length = 0;
    this.#rate = NO_RATE;
    this.#random = Math.random;
    this.duplicateDeliveries = false;
    this.shuffleDeliveries = false;
  }

  state(): FaultState {
    return {
      pending: this.#pending.map((f) => ({
        kind: f.kind,
        remaining: f.remaining,
        latencyMs: f.latencyMs,
      })),
      rate: this.#rate,
      duplicateDeliveries: this.duplicateDeliveries,
      shuffleDeliveries: this.shuffleDeliveries,
      injected: { ...this.#injected },
    };
  }
}
