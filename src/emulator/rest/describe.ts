import { SOAP_TYPES, isDefaultedOnCreate, isNillable } from '../schema/field-traits.ts';
import type { ObjectSchema, Schema } from '../schema/schema.ts';
import type { FieldDefinition } from '../schema/types.ts';
import type { Json } from './render-record.ts';

function objectUrls(version: string, name: string): Json {
  const base = `/services/data/v${version}/sobjects/${name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

export function describeGlobalEntry(version: string, object: ObjectSchema): Json {
  const d = object.definition;
  return {
    name: d.name,
    label: d.label,
    labelPlural: d.labelPlural,
    keyPrefix: d.keyPrefix,
    custom: false,
    createable: d.name !== 'Organization',
    updateable: d.name !== 'Organization',
    deletable: d.name !== 'Organization' && d.name !== 'User',
    queryable: true,
    retrieveable: true,
    searchable: true,
    layoutable: true,
    urls: objectUrls(version, d.name),
  };
}

function describeField(field: FieldDefinition): Json {
  const createable = field.createable ?? false;
  return {
    name: field.name,
    label: field.label,
    type: field.type,
    soapType: SOAP_TYPES[field.type],
    length: field.length ?? 0,
    custom: field.custom ?? false,
    nillable: isNillable(field),
    createable,
    updateable: field.updateable ?? false,
    defaultedOnCreate: isDefaultedOnCreate(field),
    calculated: field.calculated !== undefined,
    externalId: field.externalId ?? false,
    unique: field.unique ?? false,
    idLookup: field.name === 'Id' || (field.externalId ?? false),
    filterable: true,
    sortable: field.type !== 'textarea',
    referenceTo: [...(field.referenceTo ?? [])],
    relationshipName: field.relationshipName ?? null,
    picklistValues: (field.picklistValues ?? []).map((value) => ({
      active: true,
      defaultValue: false,
      label: value,
      validFor: null,
      value,
    })),
  };
}

export function describeObject(schema: Schema, version: string, object: ObjectSchema): Json {
  return {
    ...(describeGlobalEntry(version, object) as { [key: string]: Json }),
    fields: object.definition.fields.map(describeField),
    childRelationships: object.definition.childRelationships.map((c) => ({
      childSObject: c.childObject,
      field: c.field,
      relationshipName: c.name,
      cascadeDelete: false,
    })),
    recordTypeInfos: [],
  };
}

export function describeGlobal(schema: Schema, version: string): Json {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: schema.objects.map((o) => describeGlobalEntry(version, o)),
  };
}
