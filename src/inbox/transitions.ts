import { CLAIMABLE_STATES, REPLAYABLE_STATES, type MessageState } from './state-machine.ts';

/**
 * Every state change of a stored notification, declared once: the states it starts from, the
 * condition that must also hold (the lease guard), and the columns it sets. Both stores render
 * these into their SQL (`renderUpdate`), so a rule cannot drift between SQLite and PostgreSQL,
 * and the contract suite tests each transition on both.
 *
 * Expressions are SQL that both dialects read alike, with `:name` parameters. `:now` is the
 * store's current time in epoch milliseconds: the injected clock on SQLite, the database's own
 * clock on PostgreSQL (so a process with a skewed clock cannot misjudge a lease there).
 */
export interface Transition {
  readonly name: string;
  readonly from: readonly MessageState[];
  readonly to: MessageState;
  /** A further condition on the row, or null. */
  readonly guard: string | null;
  readonly set: Readonly<Record<string, string>>;
}

/**
 * The fencing token of one claim. Each claim of a row gets a new one, so a worker whose lease
 * ran out, or whose row was claimed again (even by itself), can no longer finish it.
 */
const LEASE_GUARD = 'lease_token = :leaseToken';
const DUE = 'next_attempt_at <= :now';

const LEASE_CLEARED = {
  lease_owner: 'NULL',
  lease_token: 'NULL',
  lease_expires_at: 'NULL',
} as const;

/** A finished row keeps no SessionId: it is a live credential (legacy orgs). */
const FINISHED = {
  completed_at: ':now',
  updated_at: ':now',
  next_attempt_at: 'NULL',
  session_id: 'NULL',
  ...LEASE_CLEARED,
} as const;

/**
 * due → processing. `next_attempt_at` follows the lease expiry, so a crashed worker's row is
 * due again when its lease ends. The attempt is charged here, at the claim, so a notification
 * that kills its worker every time still uses up its attempts (see EXHAUST).
 */
export const CLAIM: Transition = {
  name: 'claim',
  from: CLAIMABLE_STATES,
  to: 'processing',
  guard: DUE,
  set: {
    state: `'processing'`,
    lease_owner: ':owner',
    lease_token: `:leaseToken || '.' || seq`,
    lease_expires_at: ':now + :leaseMs',
    next_attempt_at: ':now + :leaseMs',
    attempts: 'attempts + 1',
    updated_at: ':now',
  },
};

/**
 * due, attempts used up → dead, instead of being claimed again. Runs in the same transaction
 * as a claim: a poison message (one that crashes or hangs its worker every time) ends here
 * rather than looping for ever.
 */
export const EXHAUST: Transition = {
  name: 'exhaust',
  // A received row has never been claimed (attempts 0): only a tried one can use them up.
  from: ['retry_wait', 'processing'],
  to: 'dead',
  guard: `${DUE} AND attempts >= :maxAttempts`,
  set: {
    state: `'dead'`,
    ...FINISHED,
    last_error: `'ATTEMPTS_EXHAUSTED: claimed ' || attempts || ' times without an outcome that finished it; last error: ' || COALESCE(last_error, 'none recorded (the worker crashed or hung every time)')`,
  },
};

/** The heartbeat: the lease holder extends its lease while the work runs. */
export const RENEW: Transition = {
  name: 'renew',
  from: ['processing'],
  to: 'processing',
  guard: LEASE_GUARD,
  set: {
    lease_expires_at: ':now + :leaseMs',
    next_attempt_at: ':now + :leaseMs',
    updated_at: ':now',
  },
};

export const COMPLETE: Transition = {
  name: 'complete',
  from: ['processing'],
  to: 'done',
  guard: LEASE_GUARD,
  set: { state: `'done'`, ...FINISHED },
};

/** The SessionId is kept: the retry may still need it (legacy orgs). */
export const FAIL_RETRYABLE: Transition = {
  name: 'fail retryable',
  from: ['processing'],
  to: 'retry_wait',
  guard: LEASE_GUARD,
  set: {
    state: `'retry_wait'`,
    next_attempt_at: ':retryAt',
    last_error: ':error',
    updated_at: ':now',
    ...LEASE_CLEARED,
  },
};

export const FAIL_PERMANENT: Transition = {
  name: 'fail permanent',
  from: ['processing'],
  to: 'dead',
  guard: LEASE_GUARD,
  set: { state: `'dead'`, last_error: ':error', ...FINISHED },
};

/**
 * A stopping worker hands back what it did not finish, due now, and takes back the attempt
 * the claim charged: a shutdown is not the notification's failure.
 */
export const RELEASE: Transition = {
  name: 'release',
  from: ['processing'],
  to: 'retry_wait',
  guard: LEASE_GUARD,
  set: {
    state: `'retry_wait'`,
    next_attempt_at: ':now',
    attempts: 'CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END',
    updated_at: ':now',
    ...LEASE_CLEARED,
  },
};

/**
 * dead or held → received, due now, with a fresh budget: attempts and the age limit count
 * from the replay, so a replayed letter does not die on its first temporary failure.
 * `last_error` is kept so the operator still sees why it stopped.
 */
export const REPLAY: Transition = {
  name: 'replay',
  from: REPLAYABLE_STATES,
  to: 'received',
  guard: null,
  set: {
    state: `'received'`,
    next_attempt_at: ':now',
    updated_at: ':now',
    completed_at: 'NULL',
    attempts: '0',
    attempts_since: ':now',
    ...LEASE_CLEARED,
  },
};

export const TRANSITIONS: readonly Transition[] = [
  CLAIM,
  EXHAUST,
  RENEW,
  COMPLETE,
  FAIL_RETRYABLE,
  FAIL_PERMANENT,
  RELEASE,
  REPLAY,
];

function quoted(states: readonly MessageState[]): string {
  return states.map((state) => `'${state}'`).join(', ');
}

/** `state IN (…) AND guard`: the rows a transition may touch. */
export function renderCondition(transition: Transition): string {
  const states =
    transition.from.length === 1
      ? `state = ${quoted(transition.from)}`
      : `state IN (${quoted(transition.from)})`;
  return transition.guard === null ? states : `${states} AND ${transition.guard}`;
}

export function renderSet(transition: Transition): string {
  return Object.entries(transition.set)
    .map(([column, value]) => `${column} = ${value}`)
    .join(',\n      ');
}

/** The whole UPDATE for the rows `selector` names (e.g. `id = :id`). */
export function renderUpdate(transition: Transition, selector: string): string {
  return `
    UPDATE notifications
    SET ${renderSet(transition)}
    WHERE ${selector} AND ${renderCondition(transition)}`;
}
