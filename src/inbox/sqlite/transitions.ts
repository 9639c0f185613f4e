import type Database from 'better-sqlite3';
import type { Failure, PurgeOptions } from '../inbox.ts';
import type { ReplayableState } from '../state-machine.ts';
import {
  COMPLETE,
  FAIL_PERMANENT,
  FAIL_RETRYABLE,
  RELEASE,
  RENEW,
  REPLAY,
  renderUpdate,
} from '../transitions.ts';
import { renderPurge } from '../purge.ts';

/** The lease-guarded and operator transitions, as declared in ../transitions.ts. */
export interface SqliteTransitions {
  renew(id: string, leaseToken: string, leaseMs: number, now: Date): boolean;
  complete(id: string, leaseToken: string, now: Date): boolean;
  fail(id: string, leaseToken: string, failure: Failure, now: Date): boolean;
  release(id: string, leaseToken: string, now: Date): boolean;
  replay(id: string, now: Date): boolean;
  replayAll(state: ReplayableState, now: Date): number;
  purge(options: PurgeOptions): number;
}

export function prepareTransitions(db: Database.Database): SqliteTransitions {
  const byLease = 'id = :id';
  const renew = db.prepare(renderUpdate(RENEW, byLease));
  const complete = db.prepare(renderUpdate(COMPLETE, byLease));
  const failRetryable = db.prepare(renderUpdate(FAIL_RETRYABLE, byLease));
  const failPermanent = db.prepare(renderUpdate(FAIL_PERMANENT, byLease));
  const release = db.prepare(renderUpdate(RELEASE, byLease));
  const replay = db.prepare(renderUpdate(REPLAY, 'id = :id'));
  const replayAll = db.prepare(renderUpdate(REPLAY, 'state = :state'));
  const changed = (result: Database.RunResult): boolean => result.changes === 1;
  return {
    renew: (id, leaseToken, leaseMs, now) =>
      changed(renew.run({ id, leaseToken, leaseMs, now: now.getTime() })),
    complete: (id, leaseToken, now) =>
      changed(complete.run({ id, leaseToken, now: now.getTime() })),
    fail: (id, leaseToken, failure, now) => {
      const params = { id, leaseToken, error: failure.error, now: now.getTime() };
      return changed(
        failure.kind === 'retryable'
          ? failRetryable.run({ ...params, retryAt: failure.retryAt.getTime() })
          : failPermanent.run(params),
      );
    },
    release: (id, leaseToken, now) => changed(release.run({ id, leaseToken, now: now.getTime() })),
    replay: (id, now) => changed(replay.run({ id, now: now.getTime() })),
    replayAll: (state, now) => replayAll.run({ state, now: now.getTime() }).changes,
    purge: (options) => {
      const { sql, params } = renderPurge(options);
      const statement = db.prepare(sql);
      return options.dryRun === true
        ? (statement.get(params) as { count: number }).count
        : statement.run(params).changes;
    },
  };
}
