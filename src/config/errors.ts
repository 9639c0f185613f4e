import { SfRelayError } from '../shared/index.ts';

/** Configuration that cannot be used; the message names every offending key and its source. */
export class ConfigError extends SfRelayError {
  readonly code = 'CONFIG_INVALID';
}
