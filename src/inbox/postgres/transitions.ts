import type pg from 'pg';
import type { Failure, PurgeOptions } from '../inbox.ts';
import { renderPurge } from '../purge.ts';
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
import { toPositional, valuesFor, type BoundQuery } from './bind.ts';

/**
 * The lease-guarded and operator transitions, rendered from the declarations both stores
 * share (../transitions.ts). `now` is null when the database's clock decides (see bind.ts).
 */
const RENEW_SQL = toPositional(renderUpdate(RENEW, 'id = :id'));
const COMPLETE_SQL = toPositional(renderUpdate(COMPLETE, 'id = :id'));
const FAIL_RETRYABLE_SQL = toPositional(renderUpdate(FAIL_RETRYABLE, 'id = :id'));
const FAIL_PERMANENT_SQL = toPositional(renderUpdate(FAIL_PERMANENT, 'id = :id'));
const RELEASE_SQL = toPositional(renderUpdate(RELEASE, 'id = :id'));
const REPLAY_SQL = toPositional(renderUpdate(REPLAY, 'id = :id'));
const REPLAY_ALL_SQL = toPositional(renderUpdate(REPLAY, 'state = :state'));

const TOUCH_HEALTH = toPositional(`
  INSERT INTO health (id, checked_at) VALUES (1, :now)
  ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`);

type Queryable = Pick<pg.ClientBase, 'query'>;
type Now = number | null;

async function changed(
  db: Queryable,
  query: BoundQuery,
  params: Record<string, unknown>,
): Promise<number> {
  return (await db.query(query.text, valuesFor(query, params))).rowCount ?? 0;
}

export async function renew(
  db: Queryable,
  id: string,
  leaseToken: string,
  leaseMs: number,
  now: Now,
): Promise<boolean> {
  return (await changed(db, RENEW_SQL, { id, leaseToken, leaseMs, now })) === 1;
}

export async function complete(
  db: Queryable,
  id: string,
  leaseToken: string,
  now: Now,
): Promise<boolean> {
  return (await changed(db, COMPLETE_SQL, { id, leaseToken, now })) === 1;
}

export async function fail(
  db: Queryable,
  id: string,
  leaseToken: string,
  failure: Failure,
  now: Now,
): Promise<boolean> {
  const params = { id, leaseToken, error: failure.error, now };
  const count =
    failure.kind === 'retryable'
      ? await changed(db, FAIL_RETRYABLE_SQL, { ...params, retryAt: failure.retryAt.getTime() })
      : await changed(db, FAIL_PERMANENT_SQL, params);
  return count === 1;
}

export async function release(
  db: Queryable,
  id: string,
  leaseToken: string,
  now: Now,
): Promise<boolean> {
  return (await changed(db, RELEASE_SQL, { id, leaseToken, now })) === 1;
}

export async function replay(db: Queryable, id: string, now: Now): Promise<boolean> {
  return (await changed(db, REPLAY_SQL, { id, now })) === 1;
}

export async function replayAll(db: Queryable, state: ReplayableState, now: Now): Promise<number> {
  return changed(db, REPLAY_ALL_SQL, { state, now });
}

export async function purge(db: Queryable, options: PurgeOptions): Promise<number> {
  const { sql, params } = renderPurge(options);
  const query = toPositional(sql);
  const result = await db.query<{ count: string }>(query.text, valuesFor(query, params));
  return options.dryRun === true ? Number(result.rows[0]?.count ?? 0) : (result.rowCount ?? 0);
}

export async function touchHealth(db: Queryable, now: Now): Promise<void> {
  await db.query(TOUCH_HEALTH.text, valuesFor(TOUCH_HEALTH, { now }));
}
