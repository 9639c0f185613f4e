import { escapeText } from '../../soap/index.ts';
import type { Schema } from '../schema/schema.ts';
import type { StoredValue } from '../schema/types.ts';
import {
  isQueryRecord,
  isQueryResult,
  type QueryField,
  type QueryRecord,
  type QueryResult,
} from '../soql/query-result.ts';
import type { ApiDialect } from './dialect.ts';
import { formatValue } from './render-value.ts';

/**
 * Renders records the way each API shapes them. Responses declare the API namespace as the
 * default, `sf:` as the sObject namespace and `xsi:`, so elements here use those prefixes.
 */
export class SObjectRenderer {
  constructor(
    private readonly schema: Schema,
    private readonly dialect: ApiDialect,
  ) {}

  /**
   * `<name>` holding one record: partner `sf:sObject` with `sf:type` and `sf:Id` first; enterprise
   * typed. `leadingId` fills the partner Id member even when Id was not selected (retrieve does).
   */
  record(element: string, record: QueryRecord, leadingId?: string): string {
    const fields = this.dialect === 'enterprise' ? enterpriseOrder(record.fields) : record.fields;
    const body = fields.map((field) => this.#field(record.type, field)).join('');
    if (this.dialect === 'enterprise') {
      return `<${element} xsi:type="sf:${record.type}">${body}</${element}>`;
    }
    // The partner API always leads with the sObject's own Id member; it is nil unless Id was
    // selected, and a selected Id then appears a second time among the fields.
    const selectedId = record.fields.find((f) => f.name === 'Id')?.value;
    const idValue = leadingId ?? (typeof selectedId === 'string' ? selectedId : undefined);
    const id =
      idValue === undefined ? `<sf:Id xsi:nil="true"/>` : `<sf:Id>${escapeText(idValue)}</sf:Id>`;
    return `<${element} xsi:type="sf:sObject"><sf:type>${escapeText(record.type)}</sf:type>${id}${body}</${element}>`;
  }

  /** The inside of a `QueryResult`: done, queryLocator, records, size. */
  queryResult(records: readonly QueryRecord[], size: number, queryLocator: string | null): string {
    const locator =
      queryLocator === null
        ? `<queryLocator xsi:nil="true"/>`
        : `<queryLocator>${escapeText(queryLocator)}</queryLocator>`;
    return (
      `<done>${queryLocator === null ? 'true' : 'false'}</done>` +
      locator +
      records.map((r) => this.record('records', r)).join('') +
      `<size>${size}</size>`
    );
  }

  #field(objectType: string, field: QueryField): string {
    const element = `sf:${field.name}`;
    const { value } = field;
    if (value === null) return `<${element} xsi:nil="true"/>`;
    if (isQueryRecord(value)) return this.record(element, value);
    if (isQueryResult(value)) return this.#childResult(element, value);
    return `<${element}>${escapeText(formatValue(value, this.#typeOf(objectType, field.name)))}</${element}>`;
  }

  #childResult(element: string, result: QueryResult): string {
    if (result.records.length === 0 && result.totalSize === 0)
      return `<${element} xsi:nil="true"/>`;
    return `<${element} xsi:type="QueryResult">${this.queryResult(result.records, result.totalSize, null)}</${element}>`;
  }

  #typeOf(objectType: string, fieldName: string) {
    return this.schema.find(objectType)?.fieldsByLowerName.get(fieldName.toLowerCase())?.type;
  }
}

/** Enterprise sObjects serialise in WSDL order: Id first, then fields alphabetically. */
function enterpriseOrder(fields: readonly QueryField[]): QueryField[] {
  return [...fields].sort((a, b) => {
    if (a.name === 'Id') return -1;
    if (b.name === 'Id') return 1;
    return a.name.localeCompare(b.name, 'en');
  });
}

/** A stored record's selected fields, in the order asked for, as a `QueryRecord`. */
export function toQueryRecord(
  type: string,
  id: string,
  values: ReadonlyMap<string, StoredValue>,
  fieldNames: readonly string[],
): QueryRecord {
  return {
    type,
    id,
    fields: fieldNames.map((name) => ({ name, value: values.get(name) ?? null })),
  };
}
