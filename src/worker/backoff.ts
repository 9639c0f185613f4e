/**
 * "Full jitter" exponential backoff: a random delay between zero and the exponential cap, so
 * many notifications failing together (an ERP outage) do not come back in lock-step.
 */
export function fullJitterDelayMs(
  failedAttempts: number,
  initialMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const cap = Math.min(maxMs, initialMs * 2 ** Math.min(Math.max(failedAttempts - 1, 0), 40));
  return Math.round(random() * cap);
}
