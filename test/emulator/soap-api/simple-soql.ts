import { SalesforceApiError } from '../../../src/emulator/api-error.ts';
import type { RecordStore } from '../../../src/emulator/records/record-store.ts';
import type {
  QueryField,
  QueryRecord,
  QueryResult,
} from '../../../src/emulator/soql/query-result.ts';

/**
 * A stand-in for the SOQL engine (being written in src/emulator/soql/): `SELECT a, b, Parent.c,
 * (SELECT x FROM Children) FROM Type`, nothing more, so these tests exercise the SOAP shapes only.
 */
export function simpleSoql(
  store: RecordStore,
  soql: string,
  options: { includeDeleted: boolean },
): QueryResult {
  const match = /^\s*SELECT\s+(.+)\s+FROM\s+(\w+)\s*$/is.exec(soql);
  if (!match?.[1] || !match[2]) {
    throw new SalesforceApiError(
      'MALFORMED_QUERY',
      `unexpected token: ${soql.split(/\s+/)[0] ?? ''}`,
    );
  }
  const object = store.schema.find(match[2]);
  if (!object)
    throw new SalesforceApiError('INVALID_TYPE', `sObject type '${match[2]}' is not supported.`);
  const selections = match[1].match(/\([^)]*\)|[^,\s][^,]*/g)?.map((s) => s.trim()) ?? [];
  const records: QueryRecord[] = [];
  for (const record of store.scan(object.definition.name, options)) {
    const fields: QueryField[] = selections.map((selection) => {
      const sub = /^\(\s*SELECT\s+(.+)\s+FROM\s+(\w+)\s*\)$/is.exec(selection);
      if (sub?.[1] && sub[2]) {
        const relation = object.childRelationshipsByLowerName.get(sub[2].toLowerCase());
        if (!relation)
          throw new SalesforceApiError(
            'INVALID_TYPE',
            `Didn't understand relationship '${sub[2]}'`,
          );
        const children = [...store.scan(relation.childObject)].filter(
          (c) => c.values.get(relation.field) === record.id,
        );
        const childFields = sub[1].split(',').map((f) => f.trim());
        return {
          name: relation.name,
          value: {
            totalSize: children.length,
            records: children.map((c) => ({
              type: c.type,
              id: c.id,
              fields: childFields.map((f) => ({ name: f, value: c.values.get(f) ?? null })),
            })),
          },
        };
      }
      const [head, tail] = selection.split('.');
      if (tail !== undefined && head !== undefined) {
        const reference = object.relationshipsByLowerName.get(head.toLowerCase());
        if (!reference)
          throw new SalesforceApiError('INVALID_FIELD', `Didn't understand relationship '${head}'`);
        const parentId = record.values.get(reference.name);
        const parent = typeof parentId === 'string' ? store.get(parentId) : undefined;
        return {
          name: reference.relationshipName ?? head,
          value: parent
            ? {
                type: parent.type,
                id: parent.id,
                fields: [{ name: tail, value: parent.values.get(tail) ?? null }],
              }
            : null,
        };
      }
      const field = object.fieldsByLowerName.get(selection.toLowerCase());
      if (!field)
        throw new SalesforceApiError(
          'INVALID_FIELD',
          `No such column '${selection}' on entity '${object.definition.name}'.`,
        );
      return { name: field.name, value: record.values.get(field.name) ?? null };
    });
    records.push({ type: object.definition.name, id: record.id, fields });
  }
  return { totalSize: records.length, records };
}
