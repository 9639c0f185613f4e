import type { BenchOptions } from './run-bench.ts';
import type { BenchReport } from './report.ts';

// This index stays light: the CLI imports it for option names and defaults at start-up, so
// the benchmark itself (targets, scenarios, the emulator) loads only when a run starts.
export {
  DEFAULT_BATCHES,
  DEFAULT_CONCURRENCIES,
  DEFAULT_POSTGRES_URL,
  SCENARIO_NAMES,
  TARGET_NAMES,
  type ScenarioName,
  type TargetName,
} from './options.ts';
export { renderTable } from './render-table.ts';
export type { BenchOptions, BenchReport };
export { BENCH_ERRORS } from './error-catalogue.ts';

/** Runs the chosen scenarios one after the other and puts the report together. */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const { runBench: run } = await import('./run-bench.ts');
  return run(options);
}
