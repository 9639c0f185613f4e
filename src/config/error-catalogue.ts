import { defineErrorCatalogue } from '../shared/index.ts';

export const CONFIG_ERRORS = defineErrorCatalogue('config', {
  CONFIG_INVALID: {
    meaning:
      'The configuration cannot be used. The message names every offending key and where it came from (file, environment variable or option), with the closest valid key for a typo.',
    action:
      'Fix the named keys; `sf-relay check` validates a configuration without starting anything.',
  },
});
