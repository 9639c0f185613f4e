import { expect } from 'vitest';
import { runCli } from '../support/relay-process.ts';

/** The report keys the issue promises, in the order the JSON carries them. */
export const CHAOS_REPORT_KEYS = [
  'closed',
  'orders',
  'callbacks',
  'lost',
  'doubled',
  'kills',
  'erpFaults',
  'sfFaults',
  'seconds',
  'ok',
];

/**
 * The chaos run `npm test` holds every store to: `sf-relay chaos --count 1000 --kills 5` as a
 * real child process against the inbox at `db` (default: a fresh SQLite file), passing.
 * Shared so each store's test is one line.
 */
export async function expectChaosRunPasses(
  db?: string,
  options: { count?: number; kills?: number; extra?: readonly string[] } = {},
): Promise<void> {
  const seed = 8;
  const count = options.count ?? 1000;
  const kills = options.kills ?? 5;
  const run = await runCli(
    [
      'chaos',
      '--count',
      String(count),
      '--kills',
      String(kills),
      '--seed',
      String(seed),
      '--json',
      ...(db === undefined ? [] : ['--db', db]),
      ...(options.extra ?? []),
    ],
    {},
    600_000,
  );
  expect(run.code, run.stderr).toBe(0);
  const report = JSON.parse(run.stdout) as Record<string, unknown>;
  expect(Object.keys(report)).toEqual(CHAOS_REPORT_KEYS);
  expect(report).toMatchObject({
    closed: count,
    orders: count,
    callbacks: count,
    lost: 0,
    doubled: 0,
    kills,
    ok: true,
  });
  // The run must actually have lied to the relay, not just claimed to.
  expect(report.erpFaults).toBeGreaterThan(0);
  expect(report.sfFaults).toBeGreaterThan(0);
  expect(run.stderr).toContain(`seed ${seed}`);
}
