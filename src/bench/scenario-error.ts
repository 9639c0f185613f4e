import { SfRelayError } from '../shared/index.ts';

/** A scenario could not measure what it measures (a target died or never got going). */
export class BenchScenarioError extends SfRelayError {
  readonly code = 'BENCH_SCENARIO_FAILED';
}
