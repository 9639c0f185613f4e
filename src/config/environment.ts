import type { z } from 'zod';
import { emulatorConfigSchema } from './emulator-schema.ts';
import { relayConfigSchema } from './schema.ts';
import { settingLeaves, type SettingLeaf } from './setting-leaves.ts';

/** One `SFRELAY_*` variable and the setting it sets. */
export interface EnvBinding {
  readonly variable: string;
  readonly path: readonly string[];
  readonly leaf: SettingLeaf;
}

/**
 * Settings whose variable is not the plain derivation (`SFRELAY_` + the path in upper snake
 * case): the short names documented since the first release. Every other setting of the
 * schema gets the derived name, so a key added to the schema has a variable at once.
 */
const RELAY_VARIABLE_NAMES: Readonly<Record<string, string>> = {
  'limits.maxBodyBytes': 'SFRELAY_MAX_BODY_BYTES',
  'limits.maxDepth': 'SFRELAY_MAX_DEPTH',
  'limits.maxAttributes': 'SFRELAY_MAX_ATTRIBUTES',
  'limits.requestTimeoutSeconds': 'SFRELAY_REQUEST_TIMEOUT_SECONDS',
  'salesforce.oauth.loginUrl': 'SFRELAY_SALESFORCE_LOGIN_URL',
  'salesforce.oauth.clientId': 'SFRELAY_SALESFORCE_CLIENT_ID',
  'salesforce.oauth.clientSecret': 'SFRELAY_SALESFORCE_CLIENT_SECRET',
  'salesforce.oauth.username': 'SFRELAY_SALESFORCE_USERNAME',
  'salesforce.oauth.privateKeyFile': 'SFRELAY_SALESFORCE_PRIVATE_KEY_FILE',
  'salesforce.oauth.privateKeyEnv': 'SFRELAY_SALESFORCE_PRIVATE_KEY_ENV',
};

function upperSnake(path: readonly string[]): string {
  return path.map((key) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('_');
}

/** The variable of every single-valued setting in `schema`. */
export function deriveEnvBindings(
  schema: z.ZodType,
  prefix: string,
  names: Readonly<Record<string, string>> = {},
): EnvBinding[] {
  return settingLeaves(schema).map((leaf) => ({
    variable: names[leaf.path.join('.')] ?? `${prefix}${upperSnake(leaf.path)}`,
    path: leaf.path,
    leaf,
  }));
}

export const ENV_BINDINGS: readonly EnvBinding[] = deriveEnvBindings(
  relayConfigSchema,
  'SFRELAY_',
  RELAY_VARIABLE_NAMES,
);

export const EMULATOR_ENV_BINDINGS: readonly EnvBinding[] = deriveEnvBindings(
  emulatorConfigSchema,
  'SFRELAY_EMULATOR_',
);

/** The result of reading one variable: the typed value, or why the text is not one. */
export type EnvValue =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: string };

/** What a number setting takes, in words: "a port number (0 to 65535)", "a whole number, 1 or more". */
export function describeNumber(leaf: SettingLeaf): string {
  const { min, max, minExclusive, maxExclusive, whole } = leaf.number ?? { whole: false };
  const noun = whole ? 'a whole number' : 'a number';
  if (whole && min === 0 && max === 65535) return 'a port number (0 to 65535)';
  const low = min === undefined ? undefined : minExclusive ? `above ${min}` : `${min} or more`;
  const high = max === undefined ? undefined : maxExclusive ? `below ${max}` : `at most ${max}`;
  if (min !== undefined && max !== undefined && !minExclusive && !maxExclusive)
    return `${noun} from ${min} to ${max}`;
  return [noun, low, high].filter((part) => part !== undefined).join(', ');
}

/** Whether `value` is within the setting's bounds. */
function withinBounds(value: number, leaf: SettingLeaf): boolean {
  const { min, max, minExclusive, maxExclusive, whole } = leaf.number ?? { whole: false };
  if (whole && !Number.isSafeInteger(value)) return false;
  if (min !== undefined && (minExclusive ? value <= min : value < min)) return false;
  if (max !== undefined && (maxExclusive ? value >= max : value > max)) return false;
  return true;
}

/**
 * Converts a variable's text to the setting's type before the schema sees it, so a wrong
 * value is reported in the variable's own terms ("SFRELAY_PORT must be a port number (0 to
 * 65535), got "abc"") rather than as the schema's "expected number, received string".
 */
export function readEnvValue(binding: EnvBinding, raw: string): EnvValue {
  const { leaf, variable } = binding;
  const got = `got ${JSON.stringify(raw)}`;
  switch (leaf.kind) {
    case 'string':
      if (leaf.choices && !leaf.choices.includes(raw))
        return {
          ok: false,
          problem: `${variable} must be one of ${leaf.choices.join(', ')}, ${got}`,
        };
      return { ok: true, value: raw };
    case 'number': {
      const value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value) || !withinBounds(value, leaf))
        return { ok: false, problem: `${variable} must be ${describeNumber(leaf)}, ${got}` };
      return { ok: true, value };
    }
    case 'boolean':
      if (/^(true|1|yes|on)$/i.test(raw.trim())) return { ok: true, value: true };
      if (/^(false|0|no|off)$/i.test(raw.trim())) return { ok: true, value: false };
      return { ok: false, problem: `${variable} must be true or false, ${got}` };
    case 'list':
      return {
        ok: true,
        value: raw
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== ''),
      };
  }
}
