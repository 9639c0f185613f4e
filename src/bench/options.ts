/**
 * What `sf-relay bench --help` and its option parsing need: names and defaults, and nothing
 * that loads the benchmark itself (targets, scenarios, the emulator), which every other
 * command would otherwise pay for at start-up.
 */
export { SCENARIO_NAMES, type ScenarioName } from './report.ts';
export { TARGET_NAMES, type TargetName } from './targets/target-names.ts';
export { DEFAULT_BENCH_POSTGRES_URL as DEFAULT_POSTGRES_URL } from './targets/postgres-availability.ts';

export const DEFAULT_CONCURRENCIES = [1, 8, 32] as const;
export const DEFAULT_BATCHES = [1, 100] as const;
