import { SalesforceApiError } from '../api-error.ts';
import { STANDARD_OBJECTS } from './standard-objects.ts';
import type { ChildRelationship, FieldDefinition, ObjectDefinition } from './types.ts';

/** A custom field as configuration (and later the SFDX metadata) declares it. */
export interface CustomFieldDeclaration {
  readonly object: string;
  readonly field: FieldDefinition;
}

/** The fields the order flow writes back (SALESFORCE.md §4); the metadata ships the same. */
export const ORDER_FIELDS: readonly CustomFieldDeclaration[] = [
  {
    object: 'Opportunity',
    field: {
      name: 'Order_Number__c',
      label: 'Order Number',
      type: 'string',
      length: 40,
      externalId: true,
      unique: true,
      custom: true,
      createable: true,
      updateable: true,
    },
  },
  {
    object: 'Opportunity',
    field: {
      name: 'Order_Status__c',
      label: 'Order Status',
      type: 'picklist',
      picklistValues: ['Submitted', 'Created', 'Failed', 'Cancelled'],
      custom: true,
      createable: true,
      updateable: true,
    },
  },
];

export interface ObjectSchema {
  readonly definition: ObjectDefinition;
  /** Field by lower-cased name: Salesforce API names are case-insensitive. */
  readonly fieldsByLowerName: ReadonlyMap<string, FieldDefinition>;
  /** Reference field by lower-cased relationship name (`account` → AccountId). */
  readonly relationshipsByLowerName: ReadonlyMap<string, FieldDefinition>;
  readonly childRelationshipsByLowerName: ReadonlyMap<string, ChildRelationship>;
}

/** The org's data model: standard objects plus declared custom fields, looked up case-insensitively. */
export class Schema {
  readonly #objects = new Map<string, ObjectSchema>();
  readonly #byPrefix = new Map<string, ObjectSchema>();

  constructor(
    customFields: readonly CustomFieldDeclaration[] = ORDER_FIELDS,
    objects = STANDARD_OBJECTS,
  ) {
    for (const base of objects) {
      const extra = customFields
        .filter((c) => c.object.toLowerCase() === base.name.toLowerCase())
        .map((c) => c.field);
      for (const field of extra) {
        if (!field.name.endsWith('__c')) {
          throw new SalesforceApiError(
            'INVALID_FIELD',
            `custom field ${base.name}.${field.name} must end with __c`,
          );
        }
      }
      const definition: ObjectDefinition = { ...base, fields: [...base.fields, ...extra] };
      const schema: ObjectSchema = {
        definition,
        fieldsByLowerName: new Map(definition.fields.map((f) => [f.name.toLowerCase(), f])),
        relationshipsByLowerName: new Map(
          definition.fields
            .filter((f) => f.relationshipName)
            .map((f) => [f.relationshipName?.toLowerCase() ?? '', f]),
        ),
        childRelationshipsByLowerName: new Map(
          definition.childRelationships.map((c) => [c.name.toLowerCase(), c]),
        ),
      };
      this.#objects.set(base.name.toLowerCase(), schema);
      this.#byPrefix.set(base.keyPrefix, schema);
    }
    const unknown = customFields.find((c) => !this.#objects.has(c.object.toLowerCase()));
    if (unknown) {
      throw new SalesforceApiError(
        'INVALID_TYPE',
        `custom field ${unknown.field.name} is declared on unknown object ${unknown.object}`,
      );
    }
  }

  get objects(): ObjectSchema[] {
    return [...this.#objects.values()];
  }

  /** The object, or undefined (callers raise NOT_FOUND / INVALID_TYPE as their API does). */
  find(name: string): ObjectSchema | undefined {
    return this.#objects.get(name.toLowerCase());
  }

  /** The object, or Salesforce's INVALID_TYPE error. */
  get(name: string): ObjectSchema {
    const object = this.find(name);
    if (!object) {
      throw new SalesforceApiError('NOT_FOUND', `The requested resource does not exist`, {
        status: 404,
      });
    }
    return object;
  }

  byKeyPrefix(prefix: string): ObjectSchema | undefined {
    return this.#byPrefix.get(prefix);
  }
}
