import { SalesforceApiError } from '../api-error.ts';
import type { SObject } from '../records/record-store.ts';
import type { ObjectSchema, Schema } from '../schema/schema.ts';
import type { ChildRelationship, FieldDefinition, StoredValue } from '../schema/types.ts';
import type { Condition, FieldPath, Literal, SelectQuery } from './ast.ts';
import { canonicalId } from './canonical-id.ts';
import { compileFilter, type Predicate } from './compile-filter.ts';
import { pathReader, resolvePath } from './field-path.ts';
import type { RunContext } from './run-context.ts';
import { invalidType, malformedQuery, unknownChildRelationship } from './soql-errors.ts';
import { valueKind, type ValueKind } from './value-kind.ts';

/** One output column; parent columns nest the parent's selected fields (`Account` → `Name`). */
export type Column =
  | { readonly kind: 'field'; readonly field: FieldDefinition }
  | {
      readonly kind: 'parent';
      readonly reference: FieldDefinition;
      readonly name: string;
      readonly columns: Column[];
    }
  | {
      readonly kind: 'child';
      readonly relationship: ChildRelationship;
      readonly query: CompiledQuery;
    };

export interface CompiledOrder {
  readonly read: (record: SObject, context: RunContext) => StoredValue;
  readonly kind: ValueKind;
  readonly descending: boolean;
  readonly nullsLast: boolean;
}

export interface CompiledQuery {
  readonly object: ObjectSchema;
  /** `SELECT COUNT()`: answer the number of rows, no records. */
  readonly count: boolean;
  readonly columns: readonly Column[];
  readonly where: Predicate | undefined;
  /**
   * The ids of a `WHERE Id = '…'` or `WHERE Id IN ('…', …)` query: the only records it can
   * match, looked up directly instead of walking the object. `where` still runs on them, so
   * this only narrows, never decides.
   */
  readonly onlyIds: readonly string[] | undefined;
  readonly orderBy: readonly CompiledOrder[];
  readonly limit: number | undefined;
  readonly offset: number;
}

/** Salesforce caps OFFSET (docs: "OFFSET": the maximum offset is 2,000 rows). */
const MAX_OFFSET = 2000;

function addPath(
  columns: Column[],
  hops: readonly FieldDefinition[],
  field: FieldDefinition,
  text: string,
): void {
  let level = columns;
  for (const reference of hops) {
    let parent = level.find(
      (c): c is Extract<Column, { kind: 'parent' }> =>
        c.kind === 'parent' && c.reference === reference,
    );
    if (!parent) {
      parent = {
        kind: 'parent',
        reference,
        name: reference.relationshipName ?? reference.name,
        columns: [],
      };
      level.push(parent);
    }
    level = parent.columns;
  }
  if (level.some((c) => c.kind === 'field' && c.field === field))
    throw malformedQuery(`duplicate field selected: ${text}`);
  level.push({ kind: 'field', field });
}

/** Checks the query against the schema and turns it into readers and predicates. */
export function compileQuery(
  schema: Schema,
  query: SelectQuery,
  now: Date,
  parent?: ObjectSchema,
): CompiledQuery {
  let object: ObjectSchema | undefined;
  let relationship: ChildRelationship | undefined;
  if (parent) {
    relationship = parent.childRelationshipsByLowerName.get(query.from.toLowerCase());
    object = relationship && schema.find(relationship.childObject);
    if (!object) throw unknownChildRelationship(query.from);
  } else {
    object = schema.find(query.from);
    if (!object) throw invalidType(query.from);
  }

  const count = query.select.some((item) => item.kind === 'count');
  if (count && (query.select.length > 1 || parent))
    throw malformedQuery('COUNT() must be the only element in the SELECT list of the outer query');

  const columns: Column[] = [];
  const children = new Set<string>();
  for (const item of query.select) {
    if (item.kind === 'field') {
      const path = resolvePath(schema, object, item.path);
      addPath(columns, path.hops, path.field, item.path.text);
    } else if (item.kind === 'subquery') {
      const child = compileQuery(schema, item.query, now, object);
      const rel = object.childRelationshipsByLowerName.get(item.query.from.toLowerCase());
      if (!rel) throw unknownChildRelationship(item.query.from);
      if (children.has(rel.name))
        throw malformedQuery(`duplicate relationship selected: ${rel.name}`);
      children.add(rel.name);
      columns.push({ kind: 'child', relationship: rel, query: child });
    }
  }

  const orderBy = query.orderBy.map((item): CompiledOrder => {
    const path = resolvePath(schema, object, item.path);
    return {
      read: pathReader(path),
      kind: valueKind(path.field),
      descending: item.descending,
      nullsLast: item.nullsLast,
    };
  });

  if (query.offset !== undefined && query.offset > MAX_OFFSET) {
    throw new SalesforceApiError(
      'NUMBER_OUTSIDE_VALID_RANGE',
      `Maximum SOQL offset allowed is ${MAX_OFFSET}`,
    );
  }

  return {
    object,
    count,
    columns,
    where: query.where && compileFilter(schema, object, query.where, now),
    onlyIds: onlyIdsOf(query.where),
    orderBy,
    limit: query.limit,
    offset: query.offset ?? 0,
  };
}

function onlyIdsOf(where: Condition | undefined): readonly string[] | undefined {
  let literals: readonly Literal[];
  if (where?.kind === 'compare' && where.operator === '=' && isIdPath(where.path))
    literals = [where.value];
  else if (where?.kind === 'in' && !where.negated && isIdPath(where.path)) literals = where.values;
  else return undefined;
  const ids: string[] = [];
  for (const literal of literals) {
    // Canonical, so that an 18-character id in any case finds its record as the filter would.
    const id = literal.kind === 'string' ? canonicalId(literal.value) : undefined;
    // Not an id: leave the query to the filter, as before.
    if (id === undefined) return undefined;
    ids.push(id);
  }
  return ids;
}

function isIdPath(path: FieldPath): boolean {
  const [field, ...rest] = path.segments;
  return rest.length === 0 && field?.toLowerCase() === 'id';
}
