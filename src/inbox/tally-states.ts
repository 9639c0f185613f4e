import { InboxRowInvalidError } from './errors.ts';
import type { StateCounts } from './inbox.ts';
import { isMessageState, MESSAGE_STATES, type MessageState } from './state-machine.ts';

/**
 * `countByState` for every store: per-state counts from `GROUP BY state` rows, with every
 * state present (dashboards and metrics show a zero rather than a gap), or the first state
 * this code does not know (the store then names a row holding it).
 */
export function tallyStates(
  rows: readonly { readonly state: unknown; readonly count: number }[],
): { readonly counts: StateCounts } | { readonly unknownState: unknown } {
  const counts = Object.fromEntries(MESSAGE_STATES.map((state) => [state, 0])) as Record<
    MessageState,
    number
  >;
  for (const { state, count } of rows) {
    if (typeof state !== 'string' || !isMessageState(state)) return { unknownState: state };
    counts[state] = count;
  }
  return { counts };
}

/** The error for a row whose state this code does not know, named by `rowId` when found. */
export function unknownStateError(rowId: string | undefined, state: unknown): InboxRowInvalidError {
  return new InboxRowInvalidError(
    rowId ?? '(unidentified)',
    'state',
    `unknown state ${JSON.stringify(state)}`,
  );
}
