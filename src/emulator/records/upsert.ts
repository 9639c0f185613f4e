import { SalesforceApiError } from '../api-error.ts';
import type { FieldDefinition, StoredValue } from '../schema/types.ts';
import { coerceValue } from './coerce-value.ts';
import type { RecordStore, SObject } from './record-store.ts';

/**
 * The external id field of an upsert or lookup: `Id`, or a field marked External ID. Anything
 * else is Salesforce's 404 "Provided external ID field does not exist or is not accessible"
 * ("Insert or Update (Upsert) a Record Using an External ID", REST API Developer Guide).
 */
export function externalIdField(store: RecordStore, type: string, name: string): FieldDefinition {
  const field = store.schema.get(type).fieldsByLowerName.get(name.toLowerCase());
  if (!field || !(field.name === 'Id' || field.externalId === true)) {
    throw new SalesforceApiError(
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${name}`,
      { status: 404 },
    );
  }
  return field;
}

/** More than one record holds the external id: REST answers 300 with their URLs. */
export class MultipleMatchesError extends SalesforceApiError {
  constructor(
    readonly field: string,
    readonly matches: readonly SObject[],
  ) {
    super(
      'DUPLICATE_EXTERNAL_ID',
      `More than one record found for external id field: [${matches.map((m) => m.id).join(', ')}]`,
      { status: 300, fields: [field] },
    );
  }
}

/** The live records of `type` whose external id `field` holds `raw` (as text from a URL or JSON). */
export function findByExternalId(
  store: RecordStore,
  type: string,
  field: FieldDefinition,
  raw: unknown,
): SObject[] {
  if (field.name === 'Id') {
    const record = typeof raw === 'string' ? store.get(raw) : undefined;
    return record && record.type === store.schema.get(type).definition.name ? [record] : [];
  }
  const value: StoredValue = coerceValue(type, field, raw);
  return value === null ? [] : store.findBy(type, field.name, value);
}

/**
 * Upsert: no match creates the record (with the external id), one match updates it, several
 * raise MultipleMatchesError. `updateOnly` turns "no match" into 404 NOT_FOUND.
 */
export function upsertRecord(
  store: RecordStore,
  type: string,
  field: FieldDefinition,
  raw: unknown,
  values: Readonly<Record<string, unknown>>,
  userId: string,
  options: { updateOnly?: boolean } = {},
): { id: string; created: boolean } {
  const matches = findByExternalId(store, type, field, raw);
  if (matches.length > 1) throw new MultipleMatchesError(field.name, matches);
  const [match] = matches;
  // The record is named by the URL (or the external id member), never by an Id in the body.
  const fields = Object.fromEntries(
    Object.entries(values).filter(([name]) => name.toLowerCase() !== 'id'),
  );
  if (match) {
    store.update(type, match.id, fields, userId);
    return { id: match.id, created: false };
  }
  if (options.updateOnly || field.name === 'Id') {
    throw new SalesforceApiError('NOT_FOUND', 'The requested resource does not exist', {
      status: 404,
    });
  }
  return { id: store.create(type, { ...fields, [field.name]: raw }, userId), created: true };
}
