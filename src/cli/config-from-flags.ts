import {
  loadConfig,
  loadEmulatorConfig,
  type EmulatorConfig,
  type LoadConfigOptions,
  type RelayConfig,
} from '../config/index.ts';

/**
 * The settings a command's flags set: the setting's key → the flag as the user types it (for
 * error messages) and the value commander parsed. A value left undefined (the flag was not
 * given) leaves the setting to the environment and the file.
 */
export type FlagSettings = Readonly<Record<string, readonly [flag: string, value: unknown]>>;

function loadOptions(file: string | undefined, flags: FlagSettings): LoadConfigOptions {
  const entries = Object.entries(flags);
  return {
    file,
    env: process.env,
    overrides: Object.fromEntries(entries.map(([key, [, value]]) => [key, value])),
    overrideNames: Object.fromEntries(entries.map(([key, [flag]]) => [key, flag])),
  };
}

/** The relay configuration a command runs with: defaults < `--config` file < `SFRELAY_*` < flags. */
export function relayConfigFromFlags(
  file: string | undefined,
  flags: FlagSettings = {},
): RelayConfig {
  return loadConfig(loadOptions(file, flags));
}

/** The same for `sf-relay emulator`, whose variables are `SFRELAY_EMULATOR_*`. */
export function emulatorConfigFromFlags(
  file: string | undefined,
  flags: FlagSettings = {},
): EmulatorConfig {
  return loadEmulatorConfig(loadOptions(file, flags));
}
