import { defineErrorCatalogue } from '../shared/index.ts';

const RERUN = 'The report names the step; rerun with the printed `--seed` to reproduce it.';

/** `sf-relay chaos` failing to run (a run that ran but lost or doubled an order fails its verdict instead). */
export const CHAOS_ERRORS = defineErrorCatalogue('chaos', {
  CHAOS_CHILD_FAILED: {
    meaning:
      'A process the run started (emulator, ERP, listener, worker) exited or never became ready.',
    action: `Its log lines are in the message. ${RERUN}`,
  },
  CHAOS_CONTROL_FAILED: {
    meaning: 'The emulator’s or ERP’s control API answered something the run did not expect.',
    action: RERUN,
  },
  CHAOS_RUN_FAILED: {
    meaning: 'The run could not finish: the loop did not settle before its deadline.',
    action: RERUN,
  },
  CHAOS_SALESFORCE_FAILED: {
    meaning: 'Closing Opportunities in the emulator failed repeatedly, beyond the injected faults.',
    action: RERUN,
  },
  CHAOS_POSTGRES_UNAVAILABLE: {
    meaning:
      'The run could not create or drive its own throwaway PostgreSQL server (`--db-restarts`).',
    action:
      'Install PostgreSQL’s server binaries (`pg_ctl`, `initdb`), or run without `--db-restarts`.',
  },
});
