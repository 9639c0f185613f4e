import type { Inbox } from '../inbox/index.ts';

/** How long one probe's answer stands: a probe is a write and an fsync. */
const PROBE_TTL_MS = 1000;

/**
 * The answer `/readyz` gives, probed at most once a second however often it is asked (each
 * probe writes and fsyncs, and may wait for the busy timeout), with concurrent askers sharing
 * one probe. A committed message makes a cached failure stale, so recovery shows at once.
 */
export class Readiness {
  readonly #inbox: Inbox;
  readonly #now: () => number;
  #last: { readonly ready: boolean; readonly at: number } | undefined;
  #pending: Promise<boolean> | undefined;

  constructor(inbox: Inbox, now: () => number = () => performance.now()) {
    this.#inbox = inbox;
    this.#now = now;
  }

  check(): Promise<boolean> {
    const last = this.#last;
    if (last !== undefined && this.#now() - last.at < PROBE_TTL_MS) {
      return Promise.resolve(last.ready);
    }
    this.#pending ??= this.#inbox.isWritable().then(
      (ready) => {
        this.#last = { ready, at: this.#now() };
        this.#pending = undefined;
        return ready;
      },
      (error: unknown) => {
        this.#pending = undefined;
        throw error;
      },
    );
    return this.#pending;
  }

  /**
   * The inbox just committed a write: a cached "not writable" is stale, so the next ask probes
   * again. (A cached "ready" stands: one commit does not prove the next one.)
   */
  committed(): void {
    if (this.#last?.ready === false) this.#last = undefined;
  }
}
