import { AsyncLocalStorage } from 'node:async_hooks';
import type { Clock } from '../../shared/index.ts';
import { isSalesforceId, toId18 } from '../../soap/index.ts';
import { SalesforceApiError } from '../api-error.ts';
import type { ObjectSchema, Schema } from '../schema/schema.ts';
import { STAGE_DEFAULTS } from '../schema/standard-objects.ts';
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
 * Writes made inside `atomically`: each touched row's values as they were before (undefined
 * for a row the transaction created), and the change events held back until it commits.
 */
interface Transaction {
  readonly before: Map<string, { row: Row; values: Map<string, StoredValue> } | undefined>;
  readonly events: RecordChange[];
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
  /** Each record's place in its object's creation order (the order `scan` yields). */
  readonly #creationOrder = new Map<string, number>();
  #created = 0;
  readonly #referencing = new Map<string, Set<string>>();
  /**
   * Ids by the value of a unique field (`Object.Field=value`, text lower-cased): the
   * callback's write of `Order_Number__c` checks for duplicates without walking every
   * Opportunity, which made each write cost more the bigger the org grew.
   */
  readonly #byUniqueValue = new Map<string, Set<string>>();
  readonly #listeners: ChangeListener[] = [];
  readonly #ids: IdFactory;
  #checkAccess: AccessCheck = () => undefined;
  /**
   * The transaction of the running call, carried by async context so that concurrent calls
   * (a composite request's sub-requests run as their own HTTP calls) each see their own.
   */
  readonly #transaction = new AsyncLocalStorage<Transaction>();

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

  /** Returns the call that removes the listener again. */
  onChange(listener: ChangeListener): () => void {
    this.#listeners.push(listener);
    return () => {
      const index = this.#listeners.indexOf(listener);
      if (index >= 0) this.#listeners.splice(index, 1);
    };
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
    // Salesforce makes the running user the owner of what they create unless OwnerId is given.
    if (object.fieldsByLowerName.has('ownerid') && (row.values.get('OwnerId') ?? null) === null)
      row.values.set('OwnerId', userId);
    this.#derive(row, values, null);
    this.#stamp(row, userId);
    this.#journal(id, undefined);
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
    this.#derive(draft, values, row.values);
    this.#journal(key, row);
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
    this.#journal(key, row);
    row.values.set('IsDeleted', true);
    this.#stamp(row, userId);
    this.#emit({ kind: 'delete', before, after: this.#view(key, row) });
  }

  /**
   * Brings a deleted record back from the Recycle Bin (SOAP `undelete`). Raises
   * UNDELETE_FAILED for a record that is not deleted, as Salesforce does.
   */
  undelete(id: string, userId: string | null): SObject {
    const key = isSalesforceId(id) ? toId18(id) : '';
    const row = this.#rows.get(key);
    if (!row) {
      throw new SalesforceApiError('INVALID_ID_FIELD', `invalid record id: ${id.slice(0, 40)}`, {
        fields: ['Id'],
      });
    }
    if (row.values.get('IsDeleted') !== true)
      throw new SalesforceApiError('UNDELETE_FAILED', 'Entity is not in the recycle bin');
    const before = this.#view(key, row);
    this.#journal(key, row);
    row.values.set('IsDeleted', false);
    this.#stamp(row, userId);
    const after = this.#view(key, row);
    this.#emit({ kind: 'undelete', before, after });
    return after;
  }

  /**
   * The live records of `type` whose `field` equals `value` (text compared case-insensitively,
   * as Salesforce matches external ids), for upsert and `GET /sobjects/{type}/{field}/{value}`.
   */
  findBy(type: string, field: string, value: StoredValue): SObject[] {
    const object = this.schema.get(type);
    const needle = typeof value === 'string' ? value.toLowerCase() : value;
    const found: SObject[] = [];
    for (const id of this.#byObject.get(object) ?? []) {
      const row = this.#rows.get(id);
      if (!row || row.values.get('IsDeleted') === true) continue;
      const existing = row.values.get(field);
      if ((typeof existing === 'string' ? existing.toLowerCase() : existing) === needle)
        found.push(this.#view(id, row));
    }
    return found;
  }

  /**
   * Runs `work` as one transaction: when it resolves with `commit: false` or throws, every
   * write it made is undone and no listener hears of them; otherwise its change events go out
   * when it ends. Transactions nest (an inner one that rolls back leaves the outer's writes).
   */
  async atomically<T>(
    work: () => Promise<{ commit: boolean; value: T }> | { commit: boolean; value: T },
  ): Promise<T> {
    const outer = this.#transaction.getStore();
    const transaction: Transaction = { before: new Map(), events: [] };
    let outcome: { commit: boolean; value: T };
    try {
      outcome = await this.#transaction.run(transaction, work);
    } catch (error) {
      this.#rollBack(transaction);
      throw error;
    }
    if (!outcome.commit) {
      this.#rollBack(transaction);
      return outcome.value;
    }
    if (outer) {
      for (const [key, saved] of transaction.before)
        if (!outer.before.has(key)) outer.before.set(key, saved);
      outer.events.push(...transaction.events);
    } else {
      for (const change of transaction.events) this.#notify(change);
    }
    return outcome.value;
  }

  /** Remembers a row as it was before the running transaction first touches it. */
  #journal(key: string, row: Row | undefined): void {
    const transaction = this.#transaction.getStore();
    if (!transaction || transaction.before.has(key)) return;
    transaction.before.set(key, row ? { row, values: new Map(row.values) } : undefined);
  }

  #rollBack(transaction: Transaction): void {
    for (const [key, saved] of [...transaction.before].reverse()) {
      const current = this.#rows.get(key);
      if (current) this.#index(key, current, -1);
      if (saved === undefined) {
        this.#rows.delete(key);
        if (current) this.#byObject.get(current.object)?.delete(key);
        this.#creationOrder.delete(key);
        continue;
      }
      saved.row.values = saved.values;
      this.#rows.set(key, saved.row);
      this.#index(key, saved.row, +1);
    }
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

  /**
   * The records of `type` among `ids`, in creation order as `scan` yields them: looked up one
   * by one, so a query naming its ids costs those records, not a walk over the whole object.
   */
  getMany(
    type: string,
    ids: Iterable<string>,
    options: { includeDeleted?: boolean } = {},
  ): SObject[] {
    const object = this.schema.get(type);
    const found = new Map<string, Row>();
    for (const id of ids) {
      if (!isSalesforceId(id)) continue;
      const key = toId18(id);
      const row = this.#rows.get(key);
      if (!row || row.object !== object) continue;
      if (row.values.get('IsDeleted') === true && !options.includeDeleted) continue;
      found.set(key, row);
    }
    const order = (key: string): number => this.#creationOrder.get(key) ?? 0;
    return [...found]
      .sort(([a], [b]) => order(a) - order(b))
      .map(([key, row]) => this.#view(key, row));
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

  /** Adds (+1) or removes (-1) the row from the object, reference and unique-value indexes. */
  #index(id: string, row: Row, change: 1 | -1): void {
    let ids = this.#byObject.get(row.object);
    if (!ids) {
      ids = new Set();
      this.#byObject.set(row.object, ids);
    }
    // Membership of the object never changes for an id: only its references do.
    if (change === 1 && !ids.has(id)) {
      ids.add(id);
      this.#creationOrder.set(id, this.#created++);
    }
    for (const field of row.object.definition.fields) {
      const value = row.values.get(field.name);
      let key: string;
      if (field.type === 'reference' && typeof value === 'string')
        key = referenceKey(row.object, field.name, value);
      else if (field.unique && value !== undefined && value !== null)
        key = uniqueKey(row.object, field.name, value);
      else continue;
      const index = field.type === 'reference' ? this.#referencing : this.#byUniqueValue;
      let members = index.get(key);
      if (change === 1) {
        if (!members) {
          members = new Set();
          index.set(key, members);
        }
        members.add(id);
      } else {
        members?.delete(id);
        if (members?.size === 0) index.delete(key);
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
    if (value === null) return;
    const needle = typeof value === 'string' ? value.toLowerCase() : value;
    // Candidates only: the index is kept where rows change, the comparison below decides.
    for (const id of this.#byUniqueValue.get(uniqueKey(row.object, field.name, value)) ?? []) {
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

  /**
   * Values Salesforce fills in: line items copy their product, an Opportunity's stage sets its
   * Probability and ForecastCategoryName unless the same write gives them, a Case gets its
   * CaseNumber and a ClosedDate when it closes. `before` is null on create.
   */
  #derive(
    row: Row,
    given: Readonly<Record<string, unknown>>,
    before: ReadonlyMap<string, StoredValue> | null,
  ): void {
    const type = row.object.definition.name;
    const gives = (field: string): boolean =>
      Object.keys(given).some((name) => name.toLowerCase() === field.toLowerCase());
    if (type === 'Opportunity') {
      const stageName = row.values.get('StageName');
      const defaults = typeof stageName === 'string' ? STAGE_DEFAULTS[stageName] : undefined;
      if (defaults && stageName !== (before?.get('StageName') ?? null)) {
        if (!gives('Probability')) row.values.set('Probability', defaults.probability);
        if (!gives('ForecastCategoryName'))
          row.values.set('ForecastCategoryName', defaults.forecastCategory);
      }
    }
    if (type === 'Case') {
      if (before === null) {
        const number = (this.#byObject.get(row.object)?.size ?? 0) + 1001;
        row.values.set('CaseNumber', String(number).padStart(8, '0'));
      }
      const closed = row.values.get('Status') === 'Closed';
      if (closed && (before?.get('Status') ?? null) !== 'Closed')
        row.values.set('ClosedDate', this.clock.now().toISOString());
      if (!closed) row.values.set('ClosedDate', null);
    }
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
    const transaction = this.#transaction.getStore();
    if (transaction) transaction.events.push(change);
    else this.#notify(change);
  }

  #notify(change: RecordChange): void {
    for (const listener of this.#listeners) listener(change);
  }
}

/** Unique values match as `#checkUnique` compares them: text case-insensitively. */
function uniqueKey(object: ObjectSchema, field: string, value: Exclude<StoredValue, null>): string {
  const text =
    typeof value === 'string' ? `s:${value.toLowerCase()}` : `${typeof value}:${String(value)}`;
  return `${object.definition.name}.${field}=${text}`;
}

function referenceKey(object: ObjectSchema, field: string, id: string): string {
  return `${object.definition.name}.${field}=${isSalesforceId(id) ? toId18(id) : id}`;
}
