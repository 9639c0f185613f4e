export { runBench, type BenchOptions } from './run-bench.ts';
export { DEFAULT_BATCHES, DEFAULT_CONCURRENCIES } from './options.ts';
export { renderTable } from './render-table.ts';
export { SCENARIO_NAMES, type BenchReport, type ScenarioName } from './report.ts';
export { TARGET_NAMES, type TargetName } from './targets/targets.ts';
export { DEFAULT_BENCH_POSTGRES_URL as DEFAULT_POSTGRES_URL } from './targets/postgres-availability.ts';
