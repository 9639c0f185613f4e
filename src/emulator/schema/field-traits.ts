import type { FieldDefinition } from './types.ts';

/** The XML type each field type has in the WSDLs and describe results (`soapType`). */
export const SOAP_TYPES: Readonly<Record<FieldDefinition['type'], string>> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  picklist: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

/** Describe's `nillable`: a write may leave it null (never for Id, booleans, or owner-like fields). */
export function isNillable(field: FieldDefinition): boolean {
  return (
    !field.required && !field.defaultedOnCreate && field.type !== 'boolean' && field.name !== 'Id'
  );
}

/** Describe's `defaultedOnCreate`: Salesforce fills it when a create leaves it out. */
export function isDefaultedOnCreate(field: FieldDefinition): boolean {
  return (
    field.defaultValue !== undefined ||
    (field.defaultedOnCreate ?? false) ||
    !(field.createable ?? false)
  );
}
