import { describe, expect, it } from 'vitest';
import {
  CLAIMABLE_STATES,
  FINISHED_STATES,
  MESSAGE_STATES,
  TRANSITIONS,
  canTransition,
  isMessageState,
} from '../../src/inbox/index.ts';

describe('message state machine', () => {
  it('allows exactly the documented transitions', () => {
    const allowed = MESSAGE_STATES.flatMap((from) =>
      MESSAGE_STATES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`),
    );

    expect(allowed.sort()).toEqual(
      [
        'received→processing',
        'processing→done',
        'processing→retry_wait',
        'processing→dead',
        'processing→processing',
        'retry_wait→processing',
        'dead→received',
      ].sort(),
    );
  });

  it('finished states lead nowhere except a replay of the dead', () => {
    expect(TRANSITIONS.done).toEqual([]);
    expect(TRANSITIONS.dead).toEqual(['received']);
    expect(FINISHED_STATES.filter((state) => CLAIMABLE_STATES.includes(state))).toEqual([]);
  });

  it('recognises only the five state names', () => {
    for (const state of MESSAGE_STATES) expect(isMessageState(state)).toBe(true);
    for (const value of ['', 'Received', 'archived', 'retry-wait'])
      expect(isMessageState(value)).toBe(false);
  });
});
