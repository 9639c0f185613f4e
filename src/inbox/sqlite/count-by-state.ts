import type Database from 'better-sqlite3';
import { InboxRowInvalidError } from '../errors.ts';
import type { StateCounts } from '../inbox.ts';
import { isMessageState, MESSAGE_STATES, type MessageState } from '../state-machine.ts';

const COUNT_BY_STATE = `SELECT state, count(*) AS count FROM notifications GROUP BY state`;
const FIRST_WITH_STATE = `SELECT id FROM notifications WHERE state = :state ORDER BY seq LIMIT 1`;

export type CountByState = () => StateCounts;

export function prepareCountByState(db: Database.Database): CountByState {
  const countByState = db.prepare<[], { state: unknown; count: number }>(COUNT_BY_STATE);
  const firstWithState = db.prepare<{ state: unknown }, { id: string }>(FIRST_WITH_STATE);
  return () => {
    // Every state is present, so dashboards and metrics show a zero rather than a gap.
    const counts = Object.fromEntries(MESSAGE_STATES.map((state) => [state, 0])) as Record<
      MessageState,
      number
    >;
    for (const { state, count } of countByState.all()) {
      if (typeof state !== 'string' || !isMessageState(state)) {
        const row = firstWithState.get({ state });
        throw new InboxRowInvalidError(
          row?.id ?? '(unidentified)',
          'state',
          `unknown state ${JSON.stringify(state)}`,
        );
      }
      counts[state] = count;
    }
    return counts;
  };
}
