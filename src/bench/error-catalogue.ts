import { defineErrorCatalogue } from '../shared/index.ts';

export const BENCH_ERRORS = defineErrorCatalogue('bench', {
  BENCH_LOAD_FAILED: {
    meaning: 'The load generator process failed or reported no result.',
    action:
      'Its output is in the message; rerun it; a load generator that keeps failing usually means the machine ran out of memory or file descriptors.',
  },
  BENCH_SCENARIO_FAILED: {
    meaning:
      'A scenario could not measure: a target process exited, never claimed work, or is unknown.',
    action:
      'The message names the target; its output is on stderr. Rerun with `--scenario` to isolate it.',
  },
  BENCH_DEPENDENCY_MISSING: {
    meaning:
      'A package only the benchmark uses (autocannon, soap) is not installed: it is a development dependency, left out by `npm install --omit=dev`.',
    action:
      'Run `npm install` in the sf-relay checkout (with dev dependencies), then the bench again.',
  },
});
