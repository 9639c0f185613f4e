import { InboxArgumentError } from './errors.ts';
import type { PurgeOptions } from './inbox.ts';
import { isValidDate } from './check-arguments.ts';

const PURGEABLE = new Set(['done', 'dead', 'held']);

/**
 * The DELETE (or, for a dry run, the count) of finished or parked rows last changed before a
 * time, in both dialects. Only done, dead and held rows can go: a live notification is never
 * deleted, whatever the caller asks.
 */
export function renderPurge(options: PurgeOptions): {
  sql: string;
  params: Record<string, number>;
} {
  if (options.states.length === 0 || options.states.some((state) => !PURGEABLE.has(state))) {
    throw new InboxArgumentError(
      'states',
      `expected some of done, dead, held; got ${JSON.stringify(options.states)}`,
    );
  }
  if (!isValidDate(options.before)) throw new InboxArgumentError('before', 'expected a valid Date');
  const { limit } = options;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new InboxArgumentError('limit', `expected a whole number ≥ 1, got ${String(limit)}`);
  }
  const states = options.states.map((state) => `'${state}'`).join(', ');
  const rows = `FROM notifications WHERE state IN (${states}) AND updated_at < :before`;
  const before = options.before.getTime();
  if (options.dryRun === true)
    return { sql: `SELECT count(*) AS count ${rows}`, params: { before } };
  if (limit === undefined) return { sql: `DELETE ${rows}`, params: { before } };
  return {
    sql: `DELETE FROM notifications WHERE seq IN (SELECT seq ${rows} ORDER BY seq LIMIT :limit)`,
    params: { before, limit },
  };
}
