import type { SObject } from '../records/record-store.ts';
import type { ObjectSchema, Schema } from '../schema/schema.ts';
import type { FieldDefinition, StoredValue } from '../schema/types.ts';
import type { FieldPath } from './ast.ts';
import type { RunContext } from './run-context.ts';
import { noSuchColumn, unknownRelationship } from './soql-errors.ts';

/** A field path checked against the schema: the references to follow, then the field. */
export interface ResolvedPath {
  readonly text: string;
  /** Reference fields followed from the queried object, nearest first (`AccountId`, `OwnerId`). */
  readonly hops: readonly FieldDefinition[];
  readonly field: FieldDefinition;
}

/** The object a reference field points at (the emulator's references each have one target). */
export function referenceTarget(
  schema: Schema,
  reference: FieldDefinition,
): ObjectSchema | undefined {
  const target = reference.referenceTo?.[0];
  return target === undefined ? undefined : schema.find(target);
}

export function resolvePath(schema: Schema, object: ObjectSchema, path: FieldPath): ResolvedPath {
  let segments = path.segments;
  // SOQL lets a path start with the queried object's name: `SELECT Account.Name FROM Account`.
  const first = segments[0]?.toLowerCase();
  if (
    segments.length > 1 &&
    first === object.definition.name.toLowerCase() &&
    !object.relationshipsByLowerName.has(first)
  ) {
    segments = segments.slice(1);
  }
  let current = object;
  const hops: FieldDefinition[] = [];
  for (const segment of segments.slice(0, -1)) {
    const reference = current.relationshipsByLowerName.get(segment.toLowerCase());
    const target = reference && referenceTarget(schema, reference);
    if (!reference || !target) throw unknownRelationship(segment);
    hops.push(reference);
    current = target;
  }
  const name = segments[segments.length - 1] ?? '';
  const field = current.fieldsByLowerName.get(name.toLowerCase());
  if (!field) throw noSuchColumn(name, current.definition.name);
  return { text: path.text, hops, field };
}

/** Reads a resolved path from a row; an empty reference anywhere along it reads as null. */
export function pathReader(
  path: ResolvedPath,
): (record: SObject, context: RunContext) => StoredValue {
  const { hops, field } = path;
  if (hops.length === 0) return (record) => record.values.get(field.name) ?? null;
  return (record, context) => {
    let current: SObject | null = record;
    for (const hop of hops) {
      const id: StoredValue = current.values.get(hop.name) ?? null;
      if (typeof id !== 'string') return null;
      current = context.parent(id);
      if (current === null) return null;
    }
    return current.values.get(field.name) ?? null;
  };
}
