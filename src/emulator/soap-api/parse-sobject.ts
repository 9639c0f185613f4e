import type { XmlElement } from '../../soap/index.ts';
import type { Schema } from '../schema/schema.ts';
import type { ApiDialect } from './dialect.ts';
import { SoapApiFault } from './soap-fault.ts';

export interface SObjectInput {
  /** Canonical object name. */
  readonly type: string;
  /** `Id` as sent (update), or undefined. */
  readonly id: string | undefined;
  /** API field name → text (null for nil or `fieldsToNull`). */
  readonly values: Readonly<Record<string, string | null>>;
}

export function invalidTypeFault(type: string): SoapApiFault {
  return new SoapApiFault(
    'INVALID_TYPE',
    `sObject type '${type}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}

export function invalidFieldFault(field: string, type: string): SoapApiFault {
  return new SoapApiFault(
    'INVALID_FIELD',
    `No such column '${field}' on entity '${type}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}

/**
 * One `sObjects` element of create/update. Partner names the type in `<type>`; enterprise in
 * `xsi:type`. An unknown type or field fails the whole call, as deserialisation does in
 * Salesforce; everything else (required, read-only, format) is the record's own error later.
 */
export function parseSObject(
  element: XmlElement,
  dialect: ApiDialect,
  schema: Schema,
): SObjectInput {
  const typeName =
    dialect === 'partner'
      ? element.children.find((c) => c.local === 'type')?.text.trim()
      : element.xsiType?.local;
  if (typeName === undefined || typeName === '') {
    throw new SoapApiFault('INVALID_TYPE', 'Must send a concrete entity type.');
  }
  const object = schema.find(typeName);
  if (!object) throw invalidTypeFault(typeName);
  const type = object.definition.name;
  const values: Record<string, string | null> = {};
  let id: string | undefined;
  for (const child of element.children) {
    if (dialect === 'partner' && child.local === 'type') continue;
    if (child.local === 'fieldsToNull') {
      const name = child.text.trim();
      const field = object.fieldsByLowerName.get(name.toLowerCase());
      if (!field) throw invalidFieldFault(name, type);
      values[field.name] = null;
      continue;
    }
    if (child.local === 'Id') {
      if (!child.nil && child.text.trim() !== '') id = child.text.trim();
      continue;
    }
    const field = object.fieldsByLowerName.get(child.local.toLowerCase());
    if (!field) throw invalidFieldFault(child.local, type);
    if (child.children.length > 0) {
      throw new SoapApiFault(
        'INVALID_FIELD',
        `Foreign key external ID references are not supported by the emulator: ${child.local}`,
      );
    }
    values[field.name] = child.nil ? null : child.text;
  }
  return { type, id, values };
}
