export {
  runBench,
  DEFAULT_BATCHES,
  DEFAULT_CONCURRENCIES,
  type BenchOptions,
} from './run-bench.ts';
export { renderTable } from './render-table.ts';
export { SCENARIO_NAMES, type BenchReport, type ScenarioName } from './report.ts';
export { TARGET_NAMES, type TargetName } from './targets/targets.ts';
export { DEFAULT_BENCH_POSTGRES_URL as DEFAULT_POSTGRES_URL } from './targets/postgres-availability.ts';
export { BENCH_ERRORS } from './error-catalogue.ts';
