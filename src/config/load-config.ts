import { messageOf } from '../shared/index.ts';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { closestKey } from './closest-key.ts';
import {
  EMULATOR_ENV_BINDINGS,
  ENV_BINDINGS,
  readEnvValue,
  type EnvBinding,
} from './environment.ts';
import { keysAt } from './setting-leaves.ts';
import { emulatorConfigSchema, type EmulatorConfig } from './emulator-schema.ts';
import { ConfigError } from './errors.ts';
import { relayConfigSchema, type RelayConfig } from './schema.ts';

type PlainObject = Record<string, unknown>;

export interface LoadConfigOptions {
  /** A JSON or YAML file (`--config`). */
  readonly file?: string;
  /** Usually `process.env`; only `SFRELAY_*` variables are read. */
  readonly env?: NodeJS.ProcessEnv;
  /** Command-line flags, which win over the environment, which wins over the file. */
  readonly overrides?: PlainObject;
  /** How each override is spelled on the command line, for error messages (`port` → `--port`). */
  readonly overrideNames?: Readonly<Record<string, string>>;
}

/** Loads and validates the relay configuration: defaults < file < environment < flags. */
export function loadConfig(options: LoadConfigOptions = {}): RelayConfig {
  return loadWith(relayConfigSchema, ENV_BINDINGS, options);
}

/** The same for the emulator (`sf-relay emulator`), with its own `SFRELAY_EMULATOR_*` variables. */
export function loadEmulatorConfig(options: LoadConfigOptions = {}): EmulatorConfig {
  return loadWith(emulatorConfigSchema, EMULATOR_ENV_BINDINGS, options);
}

function loadWith<S extends z.ZodType>(
  schema: S,
  bindings: readonly EnvBinding[],
  options: LoadConfigOptions,
): z.infer<S> {
  const sources = new Map<string, string>();
  let merged: PlainObject = {};

  if (options.file !== undefined) {
    const fromFile = readConfigFile(options.file);
    recordSources(fromFile, [], `${options.file}`, sources);
    merged = deepMerge(merged, fromFile);
  }
  // Every problem is reported at once: the variables that do not convert, then the schema's.
  const problems: string[] = [];
  for (const binding of bindings) {
    const raw = options.env?.[binding.variable];
    if (raw === undefined) continue;
    const read = readEnvValue(binding, raw);
    if (!read.ok) {
      problems.push(`  - ${binding.path.join('.')}: ${read.problem}`);
      continue;
    }
    merged = deepMerge(merged, nest(binding.path, read.value));
    sources.set(binding.path.join('.'), `environment variable ${binding.variable}`);
  }
  if (options.overrides) {
    for (const [key, value] of Object.entries(options.overrides)) {
      if (value === undefined) continue;
      merged = deepMerge(merged, { [key]: value });
      sources.set(key, `command-line option ${options.overrideNames?.[key] ?? key}`);
    }
  }

  const result = schema.safeParse(merged);
  if (!result.success) problems.push(...describeIssues(schema, result.error.issues, sources));
  if (problems.length > 0 || !result.success)
    throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  return result.data;
}

function readConfigFile(file: string): PlainObject {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    const reason = messageOf(cause);
    throw new ConfigError(`cannot read config file ${file}: ${reason}`, { cause });
  }
  const extension = extname(file).toLowerCase();
  if (extension !== '.json' && extension !== '.yaml' && extension !== '.yml') {
    throw new ConfigError(
      `config file ${file} has the unknown extension ${JSON.stringify(extension)}: use .json, .yaml or .yml`,
    );
  }
  let parsed: unknown;
  try {
    parsed = extension === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    const reason = messageOf(cause);
    throw new ConfigError(`config file ${file} cannot be parsed: ${reason}`, { cause });
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isPlainObject(parsed))
    throw new ConfigError(`config file ${file} must hold an object of settings`);
  return parsed;
}

/** Settings an earlier sf-relay read, and what replaced them: said instead of "unknown". */
const REMOVED_SETTINGS: ReadonlyMap<string, string> = new Map([
  [
    'allowedInstanceHosts',
    'removed: the listener no longer checks the hosts a message names (a refusal there lost ' +
      "genuine sandbox messages), and legacy SessionId mode pins each org's instance with " +
      'salesforce.orgs[].instanceHost or the host its OAuth token reports; delete this setting',
  ],
]);

function describeIssues(
  schema: z.ZodType,
  issues: readonly z.core.$ZodIssue[],
  sources: ReadonlyMap<string, string>,
): string[] {
  const line = (path: readonly string[], problem: string): string => {
    const source = findSource(path, sources);
    return `  - ${path.join('.') || '(root)'}: ${problem}${source ? ` (from ${source})` : ''}`;
  };
  const lines = issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      const known = keysAt(
        schema,
        issue.path.filter((step) => typeof step !== 'symbol'),
      );
      return issue.keys.map((key) => {
        const removed = path.length === 0 ? REMOVED_SETTINGS.get(key) : undefined;
        if (removed !== undefined) return line([key], removed);
        const meant = closestKey(key, known);
        return line(
          [...path, key],
          meant === undefined
            ? `unknown setting (known here: ${known.join(', ')})`
            : `unknown setting: did you mean \`${meant}\`?`,
        );
      });
    }
    return [line(path, issue.message)];
  });
  return lines;
}

function findSource(
  path: readonly string[],
  sources: ReadonlyMap<string, string>,
): string | undefined {
  for (let length = path.length; length > 0; length--) {
    const source = sources.get(path.slice(0, length).join('.'));
    if (source !== undefined) return source;
  }
  return undefined;
}

function recordSources(
  value: PlainObject,
  prefix: readonly string[],
  source: string,
  sources: Map<string, string>,
): void {
  for (const [key, child] of Object.entries(value)) {
    const path = [...prefix, key];
    sources.set(path.join('.'), `config file ${source}`);
    if (isPlainObject(child)) recordSources(child, path, source, sources);
  }
}

function nest(path: readonly string[], value: unknown): PlainObject {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as PlainObject;
}

function deepMerge(base: PlainObject, extra: PlainObject): PlainObject {
  const out: PlainObject = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const existing = out[key];
    out[key] = isPlainObject(existing) && isPlainObject(value) ? deepMerge(existing, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
