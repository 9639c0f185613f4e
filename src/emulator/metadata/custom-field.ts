import type { CustomFieldDeclaration } from '../schema/schema.ts';
import type { FieldDefinition, FieldType } from '../schema/types.ts';
import { MetadataError } from './metadata-error.ts';
import {
  booleanText,
  childrenNamed,
  optionalText,
  readMetadataFile,
  requiredText,
} from './metadata-xml.ts';

/** CustomField `<type>` values the emulator models, and the describe type each becomes. */
const FIELD_TYPES: Readonly<Record<string, FieldType>> = {
  Text: 'string',
  TextArea: 'textarea',
  LongTextArea: 'textarea',
  Picklist: 'picklist',
  Checkbox: 'boolean',
  Number: 'double',
  Currency: 'currency',
  Percent: 'percent',
  Date: 'date',
  DateTime: 'datetime',
  Email: 'email',
  Phone: 'phone',
  Url: 'url',
  Lookup: 'reference',
};

/**
 * One `objects/<Object>/fields/<Field>.field-meta.xml` (the CustomField type in source
 * format) as the emulator's schema declares it.
 */
export function readCustomField(file: string, objectName: string): CustomFieldDeclaration {
  const root = readMetadataFile(file, 'CustomField');
  const name = requiredText(root, 'fullName', file);
  if (!name.endsWith('__c')) {
    throw new MetadataError(`${file}: custom field ${name} must end in __c`);
  }
  const typeName = requiredText(root, 'type', file);
  const type = FIELD_TYPES[typeName];
  if (type === undefined) {
    throw new MetadataError(
      `${file}: field type ${typeName} is not modelled by the emulator (it knows ${Object.keys(FIELD_TYPES).join(', ')})`,
    );
  }
  const length = optionalText(root, 'length');
  const field: FieldDefinition = {
    name,
    label: optionalText(root, 'label') ?? name,
    type,
    custom: true,
    createable: true,
    updateable: true,
    required: booleanText(root, 'required', file),
    externalId: booleanText(root, 'externalId', file),
    unique: booleanText(root, 'unique', file),
    ...(length === undefined ? {} : { length: Number(length) }),
    ...(type === 'picklist' ? { picklistValues: picklistValues(root, file) } : {}),
    ...(type === 'reference' ? reference(root, file) : {}),
  };
  return { object: objectName, field };
}

function picklistValues(root: Parameters<typeof childrenNamed>[0], file: string): string[] {
  const definition = childrenNamed(root, 'valueSet')
    .flatMap((valueSet) => childrenNamed(valueSet, 'valueSetDefinition'))
    .at(0);
  if (!definition) {
    throw new MetadataError(
      `${file}: a Picklist needs <valueSet><valueSetDefinition> (global value sets are not modelled)`,
    );
  }
  return childrenNamed(definition, 'value').map((value) => requiredText(value, 'fullName', file));
}

function reference(
  root: Parameters<typeof childrenNamed>[0],
  file: string,
): Pick<FieldDefinition, 'referenceTo' | 'relationshipName'> {
  return {
    referenceTo: [requiredText(root, 'referenceTo', file)],
    relationshipName: requiredText(root, 'relationshipName', file).concat('__r'),
  };
}
