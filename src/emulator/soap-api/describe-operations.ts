import { SOAP_TYPES, isDefaultedOnCreate, isNillable } from '../schema/field-traits.ts';
import { escapeText } from '../../soap/index.ts';
import type { ObjectSchema, Schema } from '../schema/schema.ts';
import type { FieldDefinition } from '../schema/types.ts';
import { childrenNamed } from './parse-request.ts';
import { invalidTypeFault } from './parse-sobject.ts';
import { SoapApiFault } from './soap-fault.ts';
import type { XmlElement } from '../../soap/index.ts';

const el = (name: string, value: string | number | boolean): string =>
  `<${name}>${escapeText(String(value))}</${name}>`;

/** A `Field` of DescribeSObjectResult, its members in WSDL (alphabetical) order. */
function renderField(field: FieldDefinition): string {
  const createable = field.createable ?? false;
  const picklist = (field.picklistValues ?? [])
    .map(
      (value) =>
        `<picklistValues>${el('active', true)}${el('defaultValue', field.defaultValue === value)}${el('label', value)}${el('value', value)}</picklistValues>`,
    )
    .join('');
  return (
    '<fields>' +
    el('autoNumber', false) +
    el('calculated', field.calculated !== undefined) +
    el('createable', createable) +
    el('custom', field.custom ?? false) +
    el('defaultedOnCreate', isDefaultedOnCreate(field)) +
    el('externalId', field.externalId ?? false) +
    el('filterable', true) +
    el('idLookup', field.name === 'Id' || (field.externalId ?? false)) +
    el('label', field.label) +
    el('length', field.length ?? 0) +
    el('name', field.name) +
    el('nillable', isNillable(field)) +
    picklist +
    (field.referenceTo ?? []).map((to) => el('referenceTo', to)).join('') +
    (field.relationshipName ? el('relationshipName', field.relationshipName) : '') +
    el('soapType', SOAP_TYPES[field.type]) +
    el('sortable', field.type !== 'textarea') +
    el('type', field.type) +
    el('unique', field.unique ?? false) +
    el('updateable', field.updateable ?? false) +
    '</fields>'
  );
}

/**
 * DescribeSObjectResult (SOAP API Developer Guide, "describeSObjectResult"): what the emulator
 * knows of an object, members in WSDL order. Layouts, record types and URLs it does not have.
 */
function renderDescribe(object: ObjectSchema): string {
  const d = object.definition;
  const editable = d.name !== 'Organization';
  const children = d.childRelationships
    .map(
      (c) =>
        `<childRelationships>${el('cascadeDelete', false)}${el('childSObject', c.childObject)}${el('deprecatedAndHidden', false)}${el('field', c.field)}${el('relationshipName', c.name)}</childRelationships>`,
    )
    .join('');
  return (
    '<result>' +
    el('activateable', false) +
    children +
    el('createable', editable) +
    el('custom', false) +
    el('customSetting', false) +
    el('deletable', editable && d.name !== 'User') +
    el('deprecatedAndHidden', false) +
    el('feedEnabled', false) +
    d.fields.map(renderField).join('') +
    el('keyPrefix', d.keyPrefix) +
    el('label', d.label) +
    el('labelPlural', d.labelPlural) +
    el('layoutable', true) +
    el('mergeable', false) +
    el('mruEnabled', true) +
    el('name', d.name) +
    el('queryable', true) +
    el('replicateable', true) +
    el('retrieveable', true) +
    el('searchable', true) +
    el('triggerable', true) +
    el('undeletable', editable && d.name !== 'User') +
    el('updateable', editable) +
    '</result>'
  );
}

/** Salesforce's limit on `describeSObjects` ("up to 100 objects"). */
const MAX_DESCRIBE = 100;

/** `describeSObject(sObjectType)` and `describeSObjects(sObjectType[])`: one result per type. */
export function describeSObjects(operation: XmlElement, schema: Schema): string {
  const types = childrenNamed(operation, 'sObjectType').map((e) => e.text.trim());
  if (types.length === 0)
    throw new SoapApiFault('INVALID_TYPE', 'Must send a concrete entity type.');
  if (types.length > MAX_DESCRIBE)
    throw new SoapApiFault(
      'EXCEEDED_ID_LIMIT',
      `describeSObjects takes at most ${MAX_DESCRIBE} types`,
    );
  return types
    .map((type) => {
      const object = schema.find(type);
      if (!object) throw invalidTypeFault(type);
      return renderDescribe(object);
    })
    .join('');
}

/** The one app the emulated org has: tabs for the standard objects a sales user sees. */
const SALES_TABS = ['Account', 'Contact', 'Lead', 'Opportunity', 'Case', 'Product2'];

/**
 * `describeTabs()` (SOAP API Developer Guide, "DescribeTabSetResult"): the apps and their
 * tabs. The emulator has no UI, so it answers one app, "Sales", with a tab per object above.
 */
export function describeTabs(schema: Schema, instanceUrl: string): string {
  const tabs = SALES_TABS.map((name) => schema.find(name))
    .filter((object): object is ObjectSchema => object !== undefined)
    .map(
      (object) =>
        '<tabs>' +
        el('custom', false) +
        el('label', object.definition.labelPlural) +
        el('name', `standard-${object.definition.name}`) +
        el('sobjectName', object.definition.name) +
        el('url', `${instanceUrl}/${object.definition.keyPrefix}/o`) +
        '</tabs>',
    )
    .join('');
  return (
    '<result>' +
    el('label', 'Sales') +
    el('logoUrl', `${instanceUrl}/img/seasonLogos/logo.png`) +
    el('namespace', '') +
    el('selected', true) +
    el('tabSetId', '02u000000000001AAA') +
    tabs +
    '</result>'
  );
}

/** `getServerTimestamp()`: the org's time (virtual in the emulator). */
export function serverTimestamp(now: Date): string {
  return `<result>${el('timestamp', now.toISOString())}</result>`;
}

/**
 * Operations of the partner and enterprise WSDLs the emulator does not offer. Salesforce's own
 * answer to a call an org cannot make is an ApiFault with FUNCTIONALITY_NOT_ENABLED; an
 * operation no WSDL declares stays the `soapenv:Client` "No operation available" fault.
 */
export const UNSUPPORTED_OPERATIONS = new Set([
  'convertLead',
  'merge',
  'search',
  'emptyRecycleBin',
  'process',
  'sendEmail',
  'sendEmailMessage',
  'describeLayout',
  'describeCompactLayouts',
  'describeSearchLayouts',
  'describeGlobalTheme',
  'describeTheme',
  'describeAppMenu',
  'describeApprovalLayout',
  'describeDataCategoryGroups',
  'describeQuickActions',
  'describeSoftphoneLayout',
  'getDeleted',
  'getUpdated',
  'invalidateSessions',
  'resetPassword',
  'setPassword',
  'executeListView',
  'performQuickActions',
  'findDuplicates',
]);

export function unsupportedOperation(name: string): SoapApiFault {
  return new SoapApiFault(
    'FUNCTIONALITY_NOT_ENABLED',
    `${name} is not available in the sf-relay emulator (see the README's emulator section)`,
  );
}
