import type Database from 'better-sqlite3';
import type { StateCounts } from '../inbox.ts';
import { tallyStates, unknownStateError } from '../tally-states.ts';

const COUNT_BY_STATE = `SELECT state, count(*) AS count FROM notifications GROUP BY state`;
const FIRST_WITH_STATE = `SELECT id FROM notifications WHERE state = :state ORDER BY seq LIMIT 1`;

export type CountByState = () => StateCounts;

export function prepareCountByState(db: Database.Database): CountByState {
  const countByState = db.prepare<[], { state: unknown; count: number }>(COUNT_BY_STATE);
  const firstWithState = db.prepare<{ state: unknown }, { id: string }>(FIRST_WITH_STATE);
  return () => {
    const tally = tallyStates(countByState.all());
    if ('counts' in tally) return tally.counts;
    throw unknownStateError(
      firstWithState.get({ state: tally.unknownState })?.id,
      tally.unknownState,
    );
  };
}
