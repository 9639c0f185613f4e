import type { SObject } from '../records/record-store.ts';
import type { ObjectSchema, Schema } from '../schema/schema.ts';
import type { FieldDefinition } from '../schema/types.ts';
import type { ComparisonOperator, Condition, Literal } from './ast.ts';
import { canonicalId } from './canonical-id.ts';
import { resolveDateLiteral } from './date-literals.ts';
import { pathReader, resolvePath } from './field-path.ts';
import type { RunContext } from './run-context.ts';
import { invalidFilter, malformedQuery } from './soql-errors.ts';
import { compareKeys, storedKey, valueKind, type Key, type ValueKind } from './value-kind.ts';

export type Predicate = (record: SObject, context: RunContext) => boolean;

/** A literal as the field compares it: a point, null, or a half-open range (date literals). */
type Operand =
  | { readonly kind: 'null' }
  | { readonly kind: 'point'; readonly key: Key }
  | { readonly kind: 'range'; readonly start: string; readonly end: string };

const TYPE_NAMES: Readonly<Record<ValueKind, string>> = {
  text: 'string',
  id: 'id',
  number: 'double',
  boolean: 'boolean',
  date: 'date',
  datetime: 'dateTime',
};

function wrongType(field: FieldDefinition, kind: ValueKind): Error {
  const quoted = kind === 'text' || kind === 'id';
  return invalidFilter(
    `value of filter criterion for field '${field.name}' must be of type ${TYPE_NAMES[kind]} and should ${quoted ? '' : 'not '}be enclosed in quotes`,
  );
}

function isRealDate(day: string): boolean {
  const time = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === day;
}

function toIsoInstant(literal: string): string | undefined {
  // `+0100` is accepted by SOQL; Date.parse wants `+01:00`.
  const time = Date.parse(literal.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** Types a literal for the field, raising what Salesforce raises when they do not fit. */
function operand(field: FieldDefinition, kind: ValueKind, literal: Literal, now: Date): Operand {
  if (literal.kind === 'null') return { kind: 'null' };
  switch (kind) {
    case 'text':
      if (literal.kind !== 'string') throw wrongType(field, kind);
      // Salesforce stores an empty text as null, so '' matches what is empty.
      return literal.value === ''
        ? { kind: 'null' }
        : { kind: 'point', key: literal.value.toLowerCase() };
    case 'id': {
      if (literal.kind !== 'string') throw wrongType(field, kind);
      if (literal.value === '') return { kind: 'null' };
      const id = canonicalId(literal.value);
      if (id === undefined) throw invalidFilter(`invalid ID field: ${literal.value}`);
      return { kind: 'point', key: id };
    }
    case 'number':
      if (literal.kind !== 'number') throw wrongType(field, kind);
      return { kind: 'point', key: literal.value };
    case 'boolean':
      if (literal.kind !== 'boolean') throw wrongType(field, kind);
      return { kind: 'point', key: literal.value };
    case 'date':
    case 'datetime': {
      if (literal.kind === 'dateRange') {
        const range = resolveDateLiteral(literal.name, literal.n, now);
        return kind === 'date'
          ? { kind: 'range', ...range }
          : {
              kind: 'range',
              start: `${range.start}T00:00:00.000Z`,
              end: `${range.end}T00:00:00.000Z`,
            };
      }
      if (kind === 'date') {
        if (literal.kind !== 'date') throw wrongType(field, kind);
        if (!isRealDate(literal.value)) throw malformedQuery(`invalid date: ${literal.value}`);
        return { kind: 'point', key: literal.value };
      }
      if (literal.kind !== 'datetime') throw wrongType(field, kind);
      const instant = toIsoInstant(literal.value);
      if (instant === undefined || !isRealDate(literal.value.slice(0, 10)))
        throw malformedQuery(`invalid dateTime: ${literal.value}`);
      return { kind: 'point', key: instant };
    }
  }
}

/** Whether a non-null stored key satisfies `key <operator> operand`. */
function test(key: Key, operator: ComparisonOperator, target: Operand): boolean {
  if (target.kind === 'null') return false;
  if (target.kind === 'range') {
    const inside = key >= target.start && key < target.end;
    switch (operator) {
      case '=':
        return inside;
      case '!=':
        return !inside;
      case '<':
        return key < target.start;
      case '<=':
        return key < target.end;
      case '>':
        return key >= target.end;
      case '>=':
        return key >= target.start;
    }
  }
  const order = compareKeys(key, target.key);
  switch (operator) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

/** `%` and `_` are wildcards; `\%` and `\_` match themselves; matching ignores case. */
export function likeRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern.charAt(i);
    if (ch === '\\' && i + 1 < pattern.length) {
      i++;
      source += pattern.charAt(i).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}

export function compileFilter(
  schema: Schema,
  object: ObjectSchema,
  condition: Condition,
  now: Date,
): Predicate {
  switch (condition.kind) {
    case 'and': {
      const parts = condition.operands.map((c) => compileFilter(schema, object, c, now));
      return (record, context) => parts.every((part) => part(record, context));
    }
    case 'or': {
      const parts = condition.operands.map((c) => compileFilter(schema, object, c, now));
      return (record, context) => parts.some((part) => part(record, context));
    }
    case 'not': {
      const inner = compileFilter(schema, object, condition.operand, now);
      return (record, context) => !inner(record, context);
    }
    default:
      return compileComparison(schema, object, condition, now);
  }
}

function compileComparison(
  schema: Schema,
  object: ObjectSchema,
  condition: Extract<Condition, { kind: 'compare' | 'in' | 'like' }>,
  now: Date,
): Predicate {
  const path = resolvePath(schema, object, condition.path);
  const read = pathReader(path);
  const kind = valueKind(path.field);
  const keyOf = (record: SObject, context: RunContext): Key | null =>
    storedKey(kind, read(record, context));

  if (condition.kind === 'like') {
    if (kind !== 'text' && kind !== 'id')
      throw invalidFilter(
        `invalid operator on field ${path.field.name}: LIKE applies to text only`,
      );
    if (condition.value.kind !== 'string') throw wrongType(path.field, 'text');
    const regExp = likeRegExp(condition.value.likePattern);
    return (record, context) => {
      const value = read(record, context);
      return typeof value === 'string' && regExp.test(value);
    };
  }

  if (condition.kind === 'in') {
    const operands = condition.values.map((literal) => operand(path.field, kind, literal, now));
    const points = new Set(operands.flatMap((o) => (o.kind === 'point' ? [o.key] : [])));
    const ranges = operands.filter((o) => o.kind === 'range');
    const matchesNull = operands.some((o) => o.kind === 'null');
    const inList = (key: Key | null): boolean =>
      key === null ? matchesNull : points.has(key) || ranges.some((range) => test(key, '=', range));
    // SOQL: NOT IN keeps rows whose value is null, like `!=`.
    return condition.negated
      ? (record, context) => !inList(keyOf(record, context))
      : (record, context) => inList(keyOf(record, context));
  }

  const { operator } = condition;
  const target = operand(path.field, kind, condition.value, now);
  if (kind === 'boolean' && operator !== '=' && operator !== '!=') {
    throw invalidFilter(`invalid operator on boolean field ${path.field.name}: ${operator}`);
  }
  if (target.kind === 'null') {
    // Only equality means anything against null; `< null` matches nothing.
    if (operator === '=') return (record, context) => keyOf(record, context) === null;
    if (operator === '!=') return (record, context) => keyOf(record, context) !== null;
    return () => false;
  }
  // SOQL's `!=` keeps rows whose value is null (unlike SQL).
  if (operator === '!=') {
    return (record, context) => {
      const key = keyOf(record, context);
      return key === null || test(key, '!=', target);
    };
  }
  return (record, context) => {
    const key = keyOf(record, context);
    return key !== null && test(key, operator, target);
  };
}
