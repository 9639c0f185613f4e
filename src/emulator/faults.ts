/** What the next API calls should suffer (the control API's fault injection). */
export type ApiFaultKind = 'unavailable' | 'invalid_session' | 'unable_to_lock_row' | 'latency';

export interface ApiFault {
  readonly kind: ApiFaultKind;
  /** For `latency`: added before the call is answered normally. */
  readonly latencyMs: number;
}

interface PendingFault extends ApiFault {
  remaining: number;
}

export interface FaultState {
  readonly pending: readonly { kind: ApiFaultKind; remaining: number; latencyMs: number }[];
  readonly duplicateDeliveries: boolean;
  readonly shuffleDeliveries: boolean;
}

/**
 * Faults for tests: the next N API calls (REST, SOAP, Apex REST) fail or slow down in order of
 * injection; outbound deliveries can be doubled and shuffled.
 */
export class FaultInjector {
  readonly #pending: PendingFault[] = [];
  duplicateDeliveries = false;
  shuffleDeliveries = false;

  inject(kind: ApiFaultKind, count: number, latencyMs = 0): void {
    if (!Number.isInteger(count) || count < 1)
      throw new RangeError('count must be a whole number above 0');
    this.#pending.push({ kind, remaining: count, latencyMs });
  }

  /** Consumes the fault the current API call should suffer, if any. */
  take(): ApiFault | undefined {
    const head = this.#pending[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) this.#pending.shift();
    return { kind: head.kind, latencyMs: head.latencyMs };
  }

  clear(): void {
    this.#pending.length = 0;
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
      duplicateDeliveries: this.duplicateDeliveries,
      shuffleDeliveries: this.shuffleDeliveries,
    };
  }
}
