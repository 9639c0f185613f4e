import { InboxArgumentError } from './errors.ts';
import type { ClaimOptions, Failure } from './inbox.ts';
import { REPLAYABLE_STATES, type ReplayableState } from './state-machine.ts';

export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 1000;

/**
 * The `list` limit every store applies. A limit above the maximum is clamped, because asking
 * for "everything" is a reasonable request that the interface already promises to cap; a
 * negative, fractional or non-numeric limit is a caller bug and is rejected rather than guessed.
 */
export function listLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new InboxArgumentError('limit', `expected a whole number ≥ 0, got ${String(limit)}`);
  }
  return Math.min(limit, MAX_LIST_LIMIT);
}

export function checkClaimOptions(options: ClaimOptions): void {
  if (typeof options.owner !== 'string' || options.owner.length === 0) {
    // An empty owner would let any other empty-owner worker complete this worker's messages.
    throw new InboxArgumentError('owner', 'expected a non-empty worker identity');
  }
  if (!Number.isInteger(options.limit) || options.limit < 0) {
    throw new InboxArgumentError(
      'limit',
      `expected a whole number ≥ 0, got ${String(options.limit)}`,
    );
  }
  checkLeaseMs(options.leaseMs);
  const { maxAttempts } = options;
  if (maxAttempts !== undefined && (!Number.isInteger(maxAttempts) || maxAttempts < 1)) {
    throw new InboxArgumentError(
      'maxAttempts',
      `expected a whole number ≥ 1, got ${String(maxAttempts)}`,
    );
  }
}

export function checkLeaseMs(leaseMs: number): void {
  if (!Number.isInteger(leaseMs) || leaseMs <= 0) {
    throw new InboxArgumentError(
      'leaseMs',
      `expected a whole number of milliseconds > 0, got ${String(leaseMs)}`,
    );
  }
}

export function checkReplayableState(state: string): asserts state is ReplayableState {
  if (!(REPLAYABLE_STATES as readonly string[]).includes(state)) {
    throw new InboxArgumentError(
      'state',
      `only ${REPLAYABLE_STATES.join(' or ')} messages can be replayed, not ${JSON.stringify(state)}`,
    );
  }
}

export function checkFailure(failure: Failure): void {
  if (typeof failure.error !== 'string') {
    throw new InboxArgumentError('failure.error', 'expected a string describing the failure');
  }
  if (failure.kind === 'retryable' && !isValidDate(failure.retryAt)) {
    throw new InboxArgumentError('failure.retryAt', 'expected a valid Date');
  }
}

export function isValidDate(value: unknown): value is Date {
  return value instanceof Date && Number.isFinite(value.getTime());
}
