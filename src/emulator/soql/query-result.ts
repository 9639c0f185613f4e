import type { StoredValue } from '../schema/types.ts';

/**
 * A SOQL result independent of the wire format: REST renders it as JSON with `attributes`,
 * SOAP as `QueryResult` XML. Paging (`nextRecordsUrl`, `queryMore`) is done by the APIs.
 */
export interface QueryResult {
  /** Rows that matched (for `COUNT()`, the count; `records` is then empty). */
  readonly totalSize: number;
  readonly records: readonly QueryRecord[];
  /** Set by `FOR VIEW` / `FOR REFERENCE`: the caller records its rows as recently used. */
  readonly tracking?: 'view' | 'reference';
}

export interface QueryRecord {
  /** The sObject type, e.g. `Opportunity`. */
  readonly type: string;
  /** The record id (for the `attributes.url`), even when `Id` was not selected. */
  readonly id: string;
  /** Selected fields in SELECT order, names canonical as the schema spells them. */
  readonly fields: readonly QueryField[];
}

export interface QueryField {
  /** Field name (`Amount`), relationship name for a parent (`Account`), or child relationship name (`OpportunityLineItems`). */
  readonly name: string;
  /** A value; a parent record (or null when the reference is empty); a child subquery result (or null when it has no rows, as REST renders it). */
  readonly value: StoredValue | QueryRecord | QueryResult;
}

export function isQueryRecord(value: QueryField['value']): value is QueryRecord {
  return typeof value === 'object' && value !== null && 'fields' in value && 'type' in value;
}

export function isQueryResult(value: QueryField['value']): value is QueryResult {
  return typeof value === 'object' && value !== null && 'totalSize' in value;
}
