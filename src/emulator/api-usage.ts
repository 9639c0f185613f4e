import type { Clock } from '../shared/index.ts';

const MINUTE_MS = 60_000;
const WINDOW_MINUTES = 24 * 60;

/** Enterprise Edition's base daily allowance of API requests (Developer Edition has 15 000). */
export const DEFAULT_DAILY_API_REQUESTS = 100_000;

/**
 * The org's daily API request allowance, counted over a rolling 24 hours of virtual time as
 * Salesforce counts it ("API Request Limits and Allocations"): each REST, SOAP and Apex REST
 * call takes one; at the allowance further calls fail with REQUEST_LIMIT_EXCEEDED until old
 * calls leave the window.
 */
export class ApiUsage {
  /** Calls per minute of virtual time, oldest first. */
  readonly #minutes: { minute: number; count: number }[] = [];

  constructor(
    private readonly clock: Clock,
    public max: number = DEFAULT_DAILY_API_REQUESTS,
  ) {}

  /** Calls made in the last 24 hours. */
  get used(): number {
    this.#expire();
    return this.#minutes.reduce((sum, bucket) => sum + bucket.count, 0);
  }

  get remaining(): number {
    return Math.max(0, this.max - this.used);
  }

  /** Counts one call; false (and nothing counted) when the allowance is spent. */
  take(): boolean {
    if (this.used >= this.max) return false;
    const minute = Math.floor(this.clock.now().getTime() / MINUTE_MS);
    const last = this.#minutes.at(-1);
    if (last?.minute === minute) last.count++;
    else this.#minutes.push({ minute, count: 1 });
    return true;
  }

  /** Sets the calls made so far (control API: start a test near the allowance), as of now. */
  setUsed(used: number): void {
    this.#minutes.length = 0;
    if (used > 0)
      this.#minutes.push({
        minute: Math.floor(this.clock.now().getTime() / MINUTE_MS),
        count: used,
      });
  }

  /** `api-usage=25/100000`, the `Sforce-Limit-Info` header's value. */
  header(): string {
    return `api-usage=${this.used}/${this.max}`;
  }

  #expire(): void {
    const oldest = Math.floor(this.clock.now().getTime() / MINUTE_MS) - WINDOW_MINUTES;
    while (this.#minutes.length > 0 && (this.#minutes[0]?.minute ?? 0) <= oldest)
      this.#minutes.shift();
  }
}
