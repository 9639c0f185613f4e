import type { FieldDefinition, StoredValue } from '../schema/types.ts';

/** How SOQL compares a field's values; the store already holds each kind in one shape. */
export type ValueKind = 'text' | 'id' | 'number' | 'boolean' | 'date' | 'datetime';

export function valueKind(field: FieldDefinition): ValueKind {
  switch (field.type) {
    case 'id':
    case 'reference':
      return 'id';
    case 'boolean':
      return 'boolean';
    case 'double':
    case 'currency':
    case 'percent':
    case 'int':
      return 'number';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    default:
      return 'text';
  }
}

/** A comparable form of a stored value: text compares case-insensitively, as in Salesforce. */
export type Key = string | number | boolean;

export function storedKey(kind: ValueKind, value: StoredValue): Key | null {
  if (value === null) return null;
  if (kind === 'text' && typeof value === 'string') return value.toLowerCase();
  return value;
}

/** Orders two keys of the same kind (false before true for booleans). */
export function compareKeys(a: Key, b: Key): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
