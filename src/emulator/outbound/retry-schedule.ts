/**
 * Salesforce's outbound-message retry rule (SALESFORCE.md §3): intervals grow exponentially up
 * to two hours apart, and a notification is dropped once it is 24 hours old. The exact
 * schedule is unpublished (about 30 s, doubling, is what people observe), so it is configurable.
 */
export interface RetryPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxAgeMs: number;
  /** Each delay is stretched or shrunk by up to this fraction, so retries do not keep order. */
  readonly jitterRatio: number;
}

export const SALESFORCE_RETRY_POLICY: RetryPolicy = {
  initialDelayMs: 30_000,
  maxDelayMs: 2 * 60 * 60 * 1000,
  maxAgeMs: 24 * 60 * 60 * 1000,
  jitterRatio: 0.1,
};

/** Delay before the next try after `failedAttempts` failures (1 = the first try failed). */
export function retryDelayMs(
  failedAttempts: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, failedAttempts - 1);
  const base = Math.min(policy.initialDelayMs * 2 ** Math.min(exponent, 40), policy.maxDelayMs);
  const jitter = 1 + policy.jitterRatio * (2 * random() - 1);
  return Math.min(Math.round(base * jitter), policy.maxDelayMs);
}
