import { defineErrorCatalogue } from '../shared/index.ts';

export const DEV_ERRORS = defineErrorCatalogue('dev', {
  DEV_ALREADY_RUNNING: {
    meaning: 'Another `sf-relay dev` already uses this data directory.',
    action: 'Stop it, or pass another `--data-dir`.',
  },
});
