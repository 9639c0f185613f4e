import type { SObject } from '../records/record-store.ts';
import type { Schema } from '../schema/schema.ts';
import type { FieldDefinition, StoredValue } from '../schema/types.ts';
import {
  isQueryRecord,
  isQueryResult,
  type QueryRecord,
  type QueryResult,
} from '../soql/query-result.ts';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** REST writes datetimes as `2026-11-28T08:00:00.000+0000`. */
function restValue(field: FieldDefinition | undefined, value: StoredValue): Json {
  if (field?.type === 'datetime' && typeof value === 'string') return value.replace(/Z$/, '+0000');
  return value;
}

export function recordUrl(version: string, type: string, id: string): string {
  return `/services/data/v${version}/sobjects/${type}/${id}`;
}

/** A stored record as `GET /sobjects/{type}/{id}` returns it. */
export function renderSObject(
  schema: Schema,
  version: string,
  record: SObject,
  only?: readonly string[],
): Json {
  const object = schema.get(record.type);
  const out: { [key: string]: Json } = {
    attributes: { type: record.type, url: recordUrl(version, record.type, record.id) },
  };
  const fields = only
    ? only
        .map((name) => object.fieldsByLowerName.get(name.toLowerCase()))
        .filter((f): f is FieldDefinition => f !== undefined)
    : object.definition.fields;
  for (const field of fields)
    out[field.name] = restValue(field, record.values.get(field.name) ?? null);
  return out;
}

/** A SOQL row with `attributes`, nested parents and child results, as `/query` returns it. */
export function renderQueryRecord(schema: Schema, version: string, record: QueryRecord): Json {
  const object = schema.find(record.type);
  const out: { [key: string]: Json } = {
    attributes: { type: record.type, url: recordUrl(version, record.type, record.id) },
  };
  for (const { name, value } of record.fields) {
    if (isQueryRecord(value)) out[name] = renderQueryRecord(schema, version, value);
    else if (isQueryResult(value))
      out[name] = renderQueryResult(schema, version, value, value.records, true, null);
    else out[name] = restValue(object?.fieldsByLowerName.get(name.toLowerCase()), value);
  }
  return out;
}

export function renderQueryResult(
  schema: Schema,
  version: string,
  result: QueryResult,
  page: readonly QueryRecord[],
  done: boolean,
  nextRecordsUrl: string | null,
): Json {
  return {
    totalSize: result.totalSize,
    done,
    ...(nextRecordsUrl === null ? {} : { nextRecordsUrl }),
    records: page.map((record) => renderQueryRecord(schema, version, record)),
  };
}
