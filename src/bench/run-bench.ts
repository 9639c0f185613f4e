import type { Logger } from '../shared/index.ts';
import { requireBenchDependencies } from './bench-dependency.ts';
import { describeMachine } from './machine.ts';
import { DEFAULT_BATCHES, DEFAULT_CONCURRENCIES } from './options.ts';
import { computeRatios } from './ratios.ts';
import type { BenchReport, BenchResult, ScenarioName } from './report.ts';
import { runAckScenario } from './scenarios/ack.ts';
import { runApiCallsScenario } from './scenarios/api-calls.ts';
import { runEndToEndScenario } from './scenarios/end-to-end.ts';
import { runRecoveryScenario } from './scenarios/recovery.ts';
import { runStartupScenario } from './scenarios/startup.ts';
import { TARGET_NAMES, type TargetName } from './targets/targets.ts';

export interface BenchOptions {
  readonly seconds: number;
  readonly scenarios: readonly ScenarioName[];
  readonly targets?: readonly TargetName[];
  readonly concurrencies?: readonly number[];
  readonly batches?: readonly number[];
  readonly closeRates?: readonly number[];
  readonly recoveryQueued?: number;
  readonly postgresUrl: string;
  readonly logger: Logger;
  readonly progress: (line: string) => void;
}

export const DEFAULT_CLOSE_RATES = [50, 100, 200, 400, 500, 600, 800, 1000, 1200] as const;
export const DEFAULT_RECOVERY_QUEUED = 50_000;
/**
 * Spawns of each process in the start-up comparison (the median counts); a quick run (the
 * one-second smoke test) takes one of each.
 */
const startupRounds = (seconds: number): number => (seconds >= 5 ? 3 : 1);

/** Runs the chosen scenarios one after the other and puts the report together. */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const results: BenchResult[] = [];
  const skipped: { target: TargetName; reason: string }[] = [];
  if (options.scenarios.includes('ack')) {
    const targets = options.targets ?? TARGET_NAMES;
    requireBenchDependencies(
      targets.includes('node-soap') ? ['autocannon', 'soap'] : ['autocannon'],
    );
    const ack = await runAckScenario({
      seconds: options.seconds,
      targets: options.targets ?? TARGET_NAMES,
      concurrencies: options.concurrencies ?? DEFAULT_CONCURRENCIES,
      batches: options.batches ?? DEFAULT_BATCHES,
      postgresUrl: options.postgresUrl,
      progress: options.progress,
    });
    results.push(...ack.results);
    skipped.push(...ack.skipped);
    if (targets.includes('baseline') && targets.includes('sf-relay-sqlite'))
      results.push(
        ...(await runStartupScenario({
          rounds: startupRounds(options.seconds),
          progress: options.progress,
        })),
      );
  }
  let sustainedClosesPerSec: number | null = null;
  if (options.scenarios.includes('end-to-end')) {
    const e2e = await runEndToEndScenario({
      seconds: options.seconds,
      rates: options.closeRates ?? DEFAULT_CLOSE_RATES,
      logger: options.logger,
      progress: options.progress,
    });
    results.push(...e2e);
    sustainedClosesPerSec = e2e.filter((r) => r.sustained).at(-1)?.closesPerSec ?? null;
  }
  if (options.scenarios.includes('recovery')) {
    results.push(
      await runRecoveryScenario({
        queued: options.recoveryQueued ?? DEFAULT_RECOVERY_QUEUED,
        progress: options.progress,
      }),
    );
  }
  if (options.scenarios.includes('api-calls')) {
    results.push(
      ...(await runApiCallsScenario({ logger: options.logger, progress: options.progress })),
    );
  }
  return {
    machine: describeMachine(options.seconds),
    results,
    ratios: computeRatios(results, skipped),
    sustainedClosesPerSec,
    skipped,
  };
}
