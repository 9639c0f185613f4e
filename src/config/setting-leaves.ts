import type { z } from 'zod';

/** What a setting's value is, as the environment and a starter file need to know it. */
export type SettingKind = 'string' | 'number' | 'boolean' | 'list';

export interface SettingLeaf {
  /** `['salesforce', 'oauth', 'clientId']`. */
  readonly path: readonly string[];
  readonly kind: SettingKind;
  /** The value when the setting is left out; undefined when it has none. */
  readonly defaultValue: unknown;
  /** True when the setting may be left out without a default. */
  readonly optional: boolean;
  /**
   * True when an enclosing object is optional without a default (`tls`, `salesforce.oauth`):
   * its settings exist only together, so a starter file leaves them all out.
   */
  readonly underOptional: boolean;
  /** Allowed values of an enum setting. */
  readonly choices?: readonly string[];
  /** Bounds of a number setting, and whether it must be whole. */
  readonly number?: NumberBounds;
  /** The schema's `.describe()` text, if any. */
  readonly description?: string;
}

export interface NumberBounds {
  readonly min?: number;
  /** True for `.positive()`/`.gt()`: the value must be above `min`, not equal to it. */
  readonly minExclusive?: boolean;
  readonly max?: number;
  readonly maxExclusive?: boolean;
  readonly whole: boolean;
}

interface CheckDef {
  readonly check: string;
  readonly value?: number;
  readonly inclusive?: boolean;
  readonly format?: string;
}

/** A number schema's bounds, from its checks (`.int()` alone is whole, not bounded). */
function numberBounds(checks: readonly { _zod: { def: CheckDef } }[]): NumberBounds {
  let bounds: NumberBounds = { whole: false };
  for (const { _zod } of checks) {
    const { check, value, inclusive, format } = _zod.def;
    if (check === 'number_format' && (format === 'safeint' || format?.startsWith('int')))
      bounds = { ...bounds, whole: true };
    else if (check === 'greater_than' && value !== undefined)
      bounds = { ...bounds, min: value, minExclusive: inclusive === false };
    else if (check === 'less_than' && value !== undefined)
      bounds = { ...bounds, max: value, maxExclusive: inclusive === false };
  }
  return bounds;
}

/** The slice of zod's internal definition this walker reads (stable across zod 4 releases). */
interface Def {
  readonly type: string;
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly element?: z.ZodType;
  readonly entries?: Readonly<Record<string, string | number>>;
  readonly defaultValue?: unknown;
  readonly checks?: readonly { _zod: { def: CheckDef } }[];
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

interface Unwrapped {
  readonly schema: z.ZodType;
  readonly defaultValue: unknown;
  readonly optional: boolean;
}

/** Looks through `.optional()`, `.default()`, `.nullable()` and `.pipe()` to the value's own schema. */
function unwrap(schema: z.ZodType): Unwrapped {
  let current = schema;
  let defaultValue: unknown;
  let optional = false;
  for (;;) {
    const def = defOf(current);
    if (def.type === 'default' || def.type === 'prefault') {
      if (defaultValue === undefined) defaultValue = def.defaultValue;
    } else if (def.type === 'optional' || def.type === 'nullable') {
      optional = true;
    } else if (def.type !== 'pipe') {
      return { schema: current, defaultValue, optional };
    }
    const inner = def.type === 'pipe' ? def.in : def.innerType;
    if (inner === undefined) return { schema: current, defaultValue, optional };
    current = inner;
  }
}

const SCALARS = new Set(['string', 'number', 'boolean', 'enum', 'literal']);

/**
 * Every setting a single value (or a list of single values) can give, found by walking the
 * schema: the environment bindings, the starter config and key suggestions all come from
 * here, so a key added to the schema is known to all three without being listed again.
 * Lists of objects (e.g. `salesforce.orgs`) are not leaves: they have no one-line form.
 */
export function settingLeaves(
  schema: z.ZodType,
  prefix: readonly string[] = [],
  underOptional = false,
): SettingLeaf[] {
  const { schema: inner } = unwrap(schema);
  const shape = defOf(inner).shape;
  if (shape === undefined) return [];
  const leaves: SettingLeaf[] = [];
  for (const [key, child] of Object.entries(shape)) {
    const path = [...prefix, key];
    const { schema: value, defaultValue, optional } = unwrap(child);
    const def = defOf(value);
    const description = child.description ?? value.description;
    const base = {
      path,
      defaultValue,
      optional,
      underOptional,
      ...(description ? { description } : {}),
    };
    if (def.type === 'object') {
      leaves.push(
        ...settingLeaves(value, path, underOptional || (optional && defaultValue === undefined)),
      );
    } else if (def.type === 'array') {
      const element = def.element === undefined ? undefined : unwrap(def.element).schema;
      if (element !== undefined && SCALARS.has(defOf(element).type))
        leaves.push({ ...base, kind: 'list' });
    } else if (def.type === 'number') {
      leaves.push({ ...base, kind: 'number', number: numberBounds(def.checks ?? []) });
    } else if (def.type === 'boolean') {
      leaves.push({ ...base, kind: 'boolean' });
    } else if (def.type === 'enum') {
      leaves.push({
        ...base,
        kind: 'string',
        choices: Object.values(def.entries ?? {}).map(String),
      });
    } else if (SCALARS.has(def.type)) {
      leaves.push({ ...base, kind: 'string' });
    }
  }
  return leaves;
}

/** The keys an object setting at `path` accepts (for "did you mean"); empty when none is known. */
export function keysAt(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  let current: z.ZodType | undefined = schema;
  for (const step of path) {
    if (current === undefined) return [];
    const def = defOf(unwrap(current).schema);
    current =
      typeof step === 'number' || def.type === 'array'
        ? def.element
        : (def.shape?.[step] ?? undefined);
  }
  if (current === undefined) return [];
  return Object.keys(defOf(unwrap(current).schema).shape ?? {});
}
