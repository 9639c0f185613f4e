/** Field types the emulator models, named as Salesforce's describe names them. */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'email'
  | 'phone'
  | 'url'
  | 'boolean'
  | 'double'
  | 'currency'
  | 'percent'
  | 'int'
  | 'date'
  | 'datetime'
  | 'reference';

/** A stored value: text, number or boolean; dates as `YYYY-MM-DD`, datetimes as ISO-8601 UTC. */
export type StoredValue = string | number | boolean | null;

export interface FieldDefinition {
  readonly name: string;
  readonly label: string;
  readonly type: FieldType;
  /** Must be given on create (Salesforce: not nillable, no default, createable). */
  readonly required?: boolean;
  readonly createable?: boolean;
  readonly updateable?: boolean;
  readonly length?: number;
  readonly externalId?: boolean;
  readonly unique?: boolean;
  readonly custom?: boolean;
  readonly defaultValue?: StoredValue;
  /** Filled by Salesforce when a create leaves it out (OwnerId: the running user); never null. */
  readonly defaultedOnCreate?: boolean;
  /** For references: the object(s) the id points at, and the relationship name (`Account`). */
  readonly referenceTo?: readonly string[];
  readonly relationshipName?: string;
  readonly picklistValues?: readonly string[];
  /** Derived on every read/write from the record (e.g. Opportunity.IsWon from StageName). */
  readonly calculated?: (record: ReadonlyMap<string, StoredValue>) => StoredValue;
}

export interface ChildRelationship {
  /** The relationship name used in subqueries, e.g. `OpportunityLineItems`. */
  readonly name: string;
  readonly childObject: string;
  /** The reference field on the child, e.g. `OpportunityId`. */
  readonly field: string;
}

export interface ObjectDefinition {
  readonly name: string;
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string;
  readonly fields: readonly FieldDefinition[];
  readonly childRelationships: readonly ChildRelationship[];
}
