import { defineErrorCatalogue } from '../errors.ts';

export const BENCH_ERRORS = defineErrorCatalogue('bench', {
  BENCH_LOAD_FAILED: {
    meaning: 'The load generator process failed or reported no result.',
    action:
      'Its output is in the message; check that dev dependencies are installed (`npm install`).',
  },
  BENCH_SCENARIO_FAILED: {
    meaning:
      'A scenario could not measure: a target process exited, never claimed work, or is unknown.',
    action:
      'The message names the target; its output is on stderr. Rerun with `--scenario` to isolate it.',
  },
});
