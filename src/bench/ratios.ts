import type { AckResult, BenchResult, Ratios, StartupResult } from './report.ts';
import { apiCallsPerOrder } from './scenarios/api-calls.ts';
import type { TargetName } from './targets/targets.ts';

/** The concurrency the ratios compare at. */
export const RATIO_CONCURRENCY = 32;

/**
 * Same-run ratios of notifications/s at concurrency 32: on a shared, noisy machine only
 * figures measured side by side mean anything.
 */
export function computeRatios(
  results: readonly BenchResult[],
  skipped: readonly { readonly target: TargetName; readonly reason: string }[],
): Ratios {
  const notes: string[] = [];
  const rate = (target: TargetName, batch: number): number | null => {
    const row = results.find(
      (r): r is AckResult =>
        r.scenario === 'ack' &&
        r.target === target &&
        r.batch === batch &&
        r.concurrency === RATIO_CONCURRENCY,
    );
    return row === undefined || row.notificationsPerSec <= 0 ? null : row.notificationsPerSec;
  };
  const ratio = (label: string, a: TargetName, b: TargetName, batch: number): number | null => {
    const top = rate(a, batch);
    const bottom = rate(b, batch);
    if (top !== null && bottom !== null) return Math.round((top / bottom) * 100) / 100;
    const missing = [top === null ? a : null, bottom === null ? b : null].filter(
      (t): t is TargetName => t !== null,
    );
    const reasons = missing.map(
      (t) => skipped.find((s) => s.target === t)?.reason ?? `${t} not measured in this run`,
    );
    notes.push(`batch${batch}.${label} is null: ${reasons.join('; ')}`);
    return null;
  };
  const startup = (target: StartupResult['target']): StartupResult | undefined =>
    results.find((r): r is StartupResult => r.scenario === 'startup' && r.target === target);
  const relayStartup = startup('sf-relay-sqlite');
  const baselineStartup = startup('baseline');
  if (relayStartup === undefined || baselineStartup === undefined)
    notes.push(
      'startup.vsBaseline is null: the ack scenario ran without baseline and sf-relay-sqlite',
    );
  // The last batch-100 run of the SQLite relay: its RSS after every batch-100 load so far.
  const afterBatch100 = results
    .filter((r): r is AckResult => r.scenario === 'ack' && r.target === 'sf-relay-sqlite')
    .filter((r) => r.batch === 100)
    .at(-1);
  return {
    startup: {
      vsBaseline:
        relayStartup === undefined || baselineStartup === undefined
          ? null
          : Math.round((relayStartup.startupMs / Math.max(1, baselineStartup.startupMs)) * 100) /
            100,
    },
    memory: {
      relayIdleRssMb: relayStartup?.idleRssMb ?? null,
      relayAfterBatch100RssMb: afterBatch100?.rssMb ?? null,
    },
    batch1: {
      sqliteVsBaseline: ratio('sqliteVsBaseline', 'sf-relay-sqlite', 'baseline', 1),
      sqliteVsNodeSoap: ratio('sqliteVsNodeSoap', 'sf-relay-sqlite', 'node-soap', 1),
      postgresVsBaseline: ratio('postgresVsBaseline', 'sf-relay-postgres', 'baseline', 1),
      postgresVsNodeSoap: ratio('postgresVsNodeSoap', 'sf-relay-postgres', 'node-soap', 1),
    },
    batch100: {
      sqliteVsNodeSoap: ratio('sqliteVsNodeSoap', 'sf-relay-sqlite', 'node-soap', 100),
      postgresVsNodeSoap: ratio('postgresVsNodeSoap', 'sf-relay-postgres', 'node-soap', 100),
    },
    apiCallsPerOrder: apiCallsPerOrder(results, notes),
    notes,
  };
}
