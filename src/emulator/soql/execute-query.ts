import type { SObject } from '../records/record-store.ts';
import type { QueryField, QueryRecord, QueryResult } from './query-result.ts';
import type { Column, CompiledOrder, CompiledQuery } from './compile-query.ts';
import type { RunContext } from './run-context.ts';
import { compareKeys, storedKey, type Key } from './value-kind.ts';

interface Candidate<T> {
  readonly item: T;
  readonly keys: readonly (Key | null)[];
}

function compareCandidates(orderBy: readonly CompiledOrder[]) {
  return (a: Candidate<unknown>, b: Candidate<unknown>): number => {
    for (let i = 0; i < orderBy.length; i++) {
      const order = orderBy[i];
      const x = a.keys[i] ?? null;
      const y = b.keys[i] ?? null;
      if (order === undefined || x === y) continue;
      if (x === null) return order.nullsLast ? 1 : -1;
      if (y === null) return order.nullsLast ? -1 : 1;
      const result = compareKeys(x, y);
      if (result !== 0) return order.descending ? -result : result;
    }
    return 0;
  };
}

/**
 * Filters, sorts and pages rows, turning each match into `take(row)` as soon as it is found:
 * the store hands out a fresh full view per row, and holding thousands of them until the end
 * costs more in garbage collection than the query itself.
 */
function select<T>(
  rows: Iterable<SObject>,
  query: CompiledQuery,
  context: RunContext,
  take: (record: SObject) => T,
): T[] {
  const { where, orderBy } = query;
  const matched: Candidate<T>[] = [];
  for (const record of rows) {
    if (where && !where(record, context)) continue;
    matched.push({
      item: take(record),
      keys: orderBy.map((o) => storedKey(o.kind, o.read(record, context))),
    });
  }
  // Array.prototype.sort is stable, so equal keys keep the store's creation order.
  if (orderBy.length > 0) matched.sort(compareCandidates(orderBy));
  const end = query.limit === undefined ? undefined : query.offset + query.limit;
  const page = query.offset === 0 && end === undefined ? matched : matched.slice(query.offset, end);
  return page.map((candidate) => candidate.item);
}

/**
 * Children of a parent row: grouped once per query when many parents are selected, looked up
 * by reference when few are (a read-back of one record must not walk every child in the org).
 */
class ChildIndex {
  readonly #groups = new Map<Column, Map<string, SObject[]>>();

  constructor(readonly fewParents: boolean) {}

  rowsOf(
    column: Extract<Column, { kind: 'child' }>,
    parentId: string,
    context: RunContext,
  ): SObject[] {
    const type = column.query.object.definition.name;
    const field = column.relationship.field;
    const options = { includeDeleted: context.includeDeleted };
    if (this.fewParents) return [...context.store.referencing(type, field, parentId, options)];
    let groups = this.#groups.get(column);
    if (!groups) {
      groups = new Map();
      for (const child of context.store.scan(type, options)) {
        const parent = child.values.get(field);
        if (typeof parent !== 'string') continue;
        const list = groups.get(parent);
        if (list) list.push(child);
        else groups.set(parent, [child]);
      }
      this.#groups.set(column, groups);
    }
    return groups.get(parentId) ?? [];
  }
}

function project(
  record: SObject,
  columns: readonly Column[],
  context: RunContext,
  children: ChildIndex,
): QueryRecord {
  const fields: QueryField[] = columns.map((column): QueryField => {
    switch (column.kind) {
      case 'field':
        return { name: column.field.name, value: record.values.get(column.field.name) ?? null };
      case 'parent': {
        const id = record.values.get(column.reference.name);
        const parent = typeof id === 'string' ? context.parent(id) : null;
        return {
          name: column.name,
          value: parent && project(parent, column.columns, context, children),
        };
      }
      case 'child': {
        const rows = select(
          children.rowsOf(column, record.id, context),
          column.query,
          context,
          (row) => project(row, column.query.columns, context, children),
        );
        // REST renders a child relationship with no rows as null, not as an empty result.
        const value: QueryResult | null =
          rows.length === 0 ? null : { totalSize: rows.length, records: rows };
        return { name: column.relationship.name, value };
      }
    }
  });
  return { type: record.type, id: record.id, fields };
}

export function executeQuery(query: CompiledQuery, context: RunContext): QueryResult {
  const rows = query.onlyIds === undefined ? scanAll(query, context) : byIds(query, context);
  if (query.count)
    return { totalSize: select(rows, query, context, () => null).length, records: [] };
  // A query naming its ids selects few parents: each one's children are looked up, not grouped.
  const children = new ChildIndex(query.onlyIds !== undefined);
  const records = select(rows, query, context, (row) =>
    project(row, query.columns, context, children),
  );
  return { totalSize: records.length, records };
}

function scanAll(query: CompiledQuery, context: RunContext): Iterable<SObject> {
  return context.store.scan(query.object.definition.name, {
    includeDeleted: context.includeDeleted,
  });
}

function byIds(query: CompiledQuery, context: RunContext): SObject[] {
  return context.store.getMany(query.object.definition.name, query.onlyIds ?? [], {
    includeDeleted: context.includeDeleted,
  });
}
