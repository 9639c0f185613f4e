import type { Clock } from '../../clock.ts';
import { isSalesforceId, toId18 } from '../../soap/index.ts';
import { SalesforceApiError } from '../api-error.ts';
import type { ObjectSchema, Schema } from '../schema/schema.ts';
import type { FieldDefinition, StoredValue } from '../schema/types.ts';
import { coerceValue } from './coerce-value.ts';
import { IdFactory } from './id-factory.ts';
import type { AccessCheck } from './sharing.ts';

/** A record as the store hands it out: every field, calculated ones included. */
export interface SObject {
  readonly type: string;
  readonly id: string;
  readonly deleted: boolean;
  /** Canonical field name → value. */
  readonly values: ReadonlyMap<string, StoredValue>;
}

export interface RecordChange {
  readonly kind: 'create' | 'update' | 'delete' | 'undelete';
  readonly before: SObject | null;
  readonly after: SObject;
}

export type ChangeListener = (change: RecordChange) => void;

interface Row {
  readonly object: ObjectSchema;
  values: Map<string, StoredValue>;
}

/**
 * The org's records, in memory. Writes validate exactly as the APIs need (unknown field,
 * read-only field, type, required, reference integrity) and raise Salesforce's errors;
 * listeners (automation) see every change after it is applied.
 */
export class RecordStore {
  readonly #rows = new Map<string, Row>();
  /**
   * Ids by object, and ids by the record they reference (`Object.Field=id`): a SOQL read-back
   * of one Opportunity with its line items must not walk every record in the org, or the
   * emulator becomes the bottleneck of a 10 000-record chaos run.
   */
  readonly #byObject = new Map<ObjectSchema, Set<string>>();
  readonly #referencing = new Map<string, Set<string>>();
  readonly #listeners: ChangeListener[] = [];
  readonly #ids: IdFactory;
  #checkAccess: AccessCheck = () => undefined;

  constructor(
    readonly schema: Schema,
    private readonly clock: Clock,
    ids = new IdFactory(),
  ) {
    this.#ids = ids;
  }

  /** Where the id counter stands (persisted with the records so ids are never reused). */
  get nextIdPosition(): number {
    return this.#ids.position;
  }

  /**
   * Puts back records read from the data file, as they were: no validation, no listeners
   * (the automation must not fire again for history).
   */
  restore(
    records: readonly { type: string; id: string; values: Readonly<Record<string, StoredValue>> }[],
  ): void {
    for (const record of records) {
      const object = this.schema.get(record.type);
      const values = new Map<string, StoredValue>();
      for (const field of object.definition.fields) {
        if (field.calculated) continue;
        const value = record.values[field.name];
        if (value !== undefined) values.set(field.name, value);
      }
      this.#put(record.id, { object, values });
    }
  }

  onChange(listener: ChangeListener): void {
    this.#listeners.push(listener);
  }

  /** Every write by a user passes this first: ownership and sharing (sharing.ts). */
  setAccessCheck(check: AccessCheck): void {
    this.#checkAccess = check;
  }

  /** Creates a record; `values` use API field names (any case). Returns the new 18-character id. */
  create(type: string, values: Readonly<Record<string, unknown>>, userId: string | null): string {
    const object = this.schema.get(type);
    this.#checkAccess('create', object.definition.name, null, Object.keys(values), userId);
    const id = this.#ids.next(object.definition.keyPrefix);
    const row: Row = { object, values: new Map() };
    for (const field of object.definition.fields) {
      if (field.defaultValue !== undefined) row.values.set(field.name, field.defaultValue);
    }
    this.#assign(row, values, 'create');
    const missing = object.definition.fields.filter(
      (f) =>
        f.required && (row.values.get(f.name) === undefined || row.values.get(f.name) === null),
    );
    if (missing.length > 0) {
      throw new SalesforceApiError(
        'REQUIRED_FIELD_MISSING',
        `Required fields are missing: [${missing.map((f) => f.name).join(', ')}]`,
        {
          fields: missing.map((f) => f.name),
        },
      );
    }
    const now = this.clock.now().toISOString();
    row.values.set('Id', id);
    row.values.set('IsDeleted', false);
    row.values.set('CreatedDate', now);
    row.values.set('CreatedById', userId);
    this.#derive(row);
    this.#stamp(row, userId);
    this.#put(id, row);
    this.#emit({ kind: 'create', before: null, after: this.#view(id, row) });
    return id;
  }

  update(
    type: string,
    id: string,
    values: Readonly<Record<string, unknown>>,
    userId: string | null,
  ): void {
    const { key, row } = this.#live(type, id);
    const before = this.#view(key, row);
    this.#checkAccess('edit', before.type, before, Object.keys(values), userId);
    const draft: Row = { object: row.object, values: new Map(row.values) };
    this.#assign(draft, values, 'update');
    this.#derive(draft);
    this.#index(key, row, -1);
    row.values = draft.values;
    this.#index(key, row, +1);
    this.#stamp(row, userId);
    this.#emit({ kind: 'update', before, after: this.#view(key, row) });
  }

  delete(type: string, id: string, userId: string | null): void {
    const { key, row } = this.#live(type, id);
    const before = this.#view(key, row);
    this.#checkAccess('delete', before.type, before, [], userId);
    row.values.set('IsDeleted', true);
    this.#stamp(row, userId);
    this.#emit({ kind: 'delete', before, after: this.#view(key, row) });
  }

  /** The record, or undefined when it does not exist (or is deleted, unless asked for). */
  get(id: string, options: { includeDeleted?: boolean } = {}): SObject | undefined {
    if (!isSalesforceId(id)) return undefined;
    const key = toId18(id);
    const row = this.#rows.get(key);
    if (!row || (row.values.get('IsDeleted') === true && !options.includeDeleted)) return undefined;
    return this.#view(key, row);
  }

  /** Every record of one object, in creation order. */
  *scan(type: string, options: { includeDeleted?: boolean } = {}): Iterable<SObject> {
    const object = this.schema.get(type);
    for (const id of this.#byObject.get(object) ?? []) {
      const row = this.#rows.get(id);
      if (!row || row.object !== object) continue;
      if (row.values.get('IsDeleted') === true && !options.includeDeleted) continue;
      yield this.#view(id, row);
    }
  }

  /** The records of `type` whose reference `field` holds `id` (a parent's children), in creation order. */
  *referencing(
    type: string,
    field: string,
    id: string,
    options: { includeDeleted?: boolean } = {},
  ): Iterable<SObject> {
    const object = this.schema.get(type);
    const ids = this.#referencing.get(referenceKey(object, field, id));
    for (const childId of ids ?? []) {
      const row = this.#rows.get(childId);
      if (!row || row.object !== object) continue;
      if (row.values.get('IsDeleted') === true && !options.includeDeleted) continue;
      yield this.#view(childId, row);
    }
  }

  #put(id: string, row: Row): void {
    const previous = this.#rows.get(id);
    if (previous) this.#index(id, previous, -1);
    this.#rows.set(id, row);
    this.#index(id, row, +1);
  }

  /** Adds (+1) or removes (-1) the row from the object and reference indexes. */
  #index(id: string, row: Row, change: 1 | -1): void {
    let ids = this.#byObject.get(row.object);
    if (!ids) {
      ids = new Set();
      this.#byObject.set(row.object, ids);
    }
    // Membership of the object never changes for an id: only its references do.
    if (change === 1) ids.add(id);
    for (const field of row.object.definition.fields) {
      if (field.type !== 'reference') continue;
      const value = row.values.get(field.name);
      if (typeof value !== 'string') continue;
      const key = referenceKey(row.object, field.name, value);
      let children = this.#referencing.get(key);
      if (change === 1) {
        if (!children) {
          children = new Set();
          this.#referencing.set(key, children);
        }
        children.add(id);
      } else {
        children?.delete(id);
        if (children?.size === 0) this.#referencing.delete(key);
      }
    }
  }

  /** The id in its canonical 18-character form, or MALFORMED_ID / NOT_FOUND as the REST API reports them. */
  #live(type: string, id: string): { key: string; row: Row } {
    const object = this.schema.get(type);
    if (!isSalesforceId(id) || id.slice(0, 3) !== object.definition.keyPrefix) {
      throw new SalesforceApiError(
        'MALFORMED_ID',
        `${object.definition.name} ID: id value of incorrect type: ${id.slice(0, 40)}`,
        {
          fields: ['Id'],
        },
      );
    }
    const key = toId18(id);
    const row = this.#rows.get(key);
    if (!row || row.object !== object)
      throw new SalesforceApiError('NOT_FOUND', 'The requested resource does not exist', {
        status: 404,
      });
    if (row.values.get('IsDeleted') === true) {
      throw new SalesforceApiError('ENTITY_IS_DELETED', 'entity is deleted', { fields: [] });
    }
    return { key, row };
  }

  #assign(row: Row, values: Readonly<Record<string, unknown>>, mode: 'create' | 'update'): void {
    const typeName = row.object.definition.name;
    for (const [name, raw] of Object.entries(values)) {
      if (name === 'attributes') continue;
      const field = row.object.fieldsByLowerName.get(name.toLowerCase());
      if (!field) {
        throw new SalesforceApiError(
          'INVALID_FIELD',
          `No such column '${name}' on sobject of type ${typeName}`,
          { fields: [name] },
        );
      }
      if (field.name === 'Id' && mode === 'update') continue;
      const writable = mode === 'create' ? field.createable : field.updateable;
      if (!writable) {
        throw new SalesforceApiError(
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          { fields: [field.name] },
        );
      }
      const value = coerceValue(typeName, field, raw);
      if (value !== null && field.type === 'reference')
        this.#checkReference(field, value as string);
      if (value === null && field.required) {
        throw new SalesforceApiError(
          'REQUIRED_FIELD_MISSING',
          `Required fields are missing: [${field.name}]`,
          { fields: [field.name] },
        );
      }
      if (value !== null && field.unique) this.#checkUnique(row, field, value);
      row.values.set(field.name, value);
    }
  }

  #checkReference(field: FieldDefinition, id: string): void {
    const target = this.#rows.get(id);
    const allowed = field.referenceTo ?? [];
    if (
      !target ||
      target.values.get('IsDeleted') === true ||
      !allowed.includes(target.object.definition.name)
    ) {
      throw new SalesforceApiError(
        'INVALID_CROSS_REFERENCE_KEY',
        `${field.label}: id value of incorrect type: ${id}`,
        { fields: [field.name] },
      );
    }
  }

  #checkUnique(row: Row, field: FieldDefinition, value: StoredValue): void {
    const needle = typeof value === 'string' ? value.toLowerCase() : value;
    for (const id of this.#byObject.get(row.object) ?? []) {
      const other = this.#rows.get(id);
      if (!other || other === row || id === row.values.get('Id')) continue;
      const existing = other.values.get(field.name);
      if ((typeof existing === 'string' ? existing.toLowerCase() : existing) === needle) {
        throw new SalesforceApiError(
          'DUPLICATE_VALUE',
          `duplicate value found: ${field.name} duplicates value on record with id: ${id}`,
          { fields: [field.name] },
        );
      }
    }
  }

  /** Values Salesforce fills from related records (line items copy their product). */
  #derive(row: Row): void {
    const type = row.object.definition.name;
    if (type === 'PricebookEntry') {
      const product = this.#rows.get(String(row.values.get('Product2Id')));
      row.values.set('Name', product?.values.get('Name') ?? null);
      row.values.set('ProductCode', product?.values.get('ProductCode') ?? null);
    }
    if (type === 'OpportunityLineItem') {
      const entry = this.#rows.get(String(row.values.get('PricebookEntryId')));
      if (entry) {
        row.values.set('Product2Id', entry.values.get('Product2Id') ?? null);
        row.values.set('Name', entry.values.get('Name') ?? null);
        row.values.set('ProductCode', entry.values.get('ProductCode') ?? null);
        if ((row.values.get('UnitPrice') ?? null) === null)
          row.values.set('UnitPrice', entry.values.get('UnitPrice') ?? null);
      }
      const quantity = row.values.get('Quantity');
      const unitPrice = row.values.get('UnitPrice');
      if (typeof quantity === 'number' && typeof unitPrice === 'number')
        row.values.set('TotalPrice', quantity * unitPrice);
    }
  }

  #stamp(row: Row, userId: string | null): void {
    const now = this.clock.now().toISOString();
    row.values.set('LastModifiedDate', now);
    row.values.set('LastModifiedById', userId);
    row.values.set('SystemModstamp', now);
  }

  #view(id: string, row: Row): SObject {
    const values = new Map<string, StoredValue>();
    for (const field of row.object.definition.fields) {
      values.set(
        field.name,
        field.calculated ? field.calculated(row.values) : (row.values.get(field.name) ?? null),
      );
    }
    return {
      type: row.object.definition.name,
      id,
      deleted: row.values.get('IsDeleted') === true,
      values,
    };
  }

  #emit(change: RecordChange): void {
    for (const listener of this.#listeners) listener(change);
  }
}

function referenceKey(object: ObjectSchema, field: string, id: string): string {
  return `${object.definition.name}.${field}=${isSalesforceId(id) ? toId18(id) : id}`;
}
