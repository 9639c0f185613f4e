import type { FieldDefinition, ObjectDefinition, StoredValue } from './types.ts';

const text = (
  name: string,
  label: string,
  extra: Partial<FieldDefinition> = {},
): FieldDefinition => ({
  name,
  label,
  type: 'string',
  length: 255,
  createable: true,
  updateable: true,
  ...extra,
});
const ref = (
  name: string,
  label: string,
  to: string,
  relationshipName: string,
  extra: Partial<FieldDefinition> = {},
): FieldDefinition => ({
  name,
  label,
  type: 'reference',
  referenceTo: [to],
  relationshipName,
  createable: true,
  updateable: true,
  ...extra,
});
const typed = (
  name: string,
  label: string,
  type: FieldDefinition['type'],
  extra: Partial<FieldDefinition> = {},
): FieldDefinition => ({
  name,
  label,
  type,
  createable: true,
  updateable: true,
  ...extra,
});
const readOnly = { createable: false, updateable: false };

/** Fields every object has; the store maintains them. */
const SYSTEM_FIELDS: readonly FieldDefinition[] = [
  { name: 'Id', label: 'Record ID', type: 'id', ...readOnly },
  { name: 'IsDeleted', label: 'Deleted', type: 'boolean', ...readOnly },
  { name: 'CreatedDate', label: 'Created Date', type: 'datetime', ...readOnly },
  {
    name: 'CreatedById',
    label: 'Created By ID',
    type: 'reference',
    referenceTo: ['User'],
    relationshipName: 'CreatedBy',
    ...readOnly,
  },
  { name: 'LastModifiedDate', label: 'Last Modified Date', type: 'datetime', ...readOnly },
  {
    name: 'LastModifiedById',
    label: 'Last Modified By ID',
    type: 'reference',
    referenceTo: ['User'],
    relationshipName: 'LastModifiedBy',
    ...readOnly,
  },
  { name: 'SystemModstamp', label: 'System Modstamp', type: 'datetime', ...readOnly },
];

const OWNER = ref('OwnerId', 'Owner ID', 'User', 'Owner', { createable: true });

const CLOSED_WON = 'Closed Won';
const CLOSED_LOST = 'Closed Lost';
const OPPORTUNITY_STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Value Proposition',
  'Id. Decision Makers',
  'Perception Analysis',
  'Proposal/Price Quote',
  'Negotiation/Review',
  CLOSED_WON,
  CLOSED_LOST,
];

const stage = (record: ReadonlyMap<string, StoredValue>): StoredValue =>
  record.get('StageName') ?? null;

function object(
  name: string,
  keyPrefix: string,
  labelPlural: string,
  fields: readonly FieldDefinition[],
  childRelationships: ObjectDefinition['childRelationships'] = [],
): ObjectDefinition {
  return {
    name,
    label: name,
    labelPlural,
    keyPrefix,
    fields: [...SYSTEM_FIELDS, ...fields],
    childRelationships,
  };
}

/** The standard objects the emulator knows (ARCHITECTURE.md: enough for the order flow). */
export const STANDARD_OBJECTS: readonly ObjectDefinition[] = [
  object('Organization', '00D', 'Organizations', [
    text('Name', 'Name', readOnly),
    text('InstanceName', 'Instance Name', readOnly),
  ]),
  object('User', '005', 'Users', [
    text('Username', 'Username', { required: true, unique: true }),
    text('LastName', 'Last Name', { required: true }),
    text('FirstName', 'First Name'),
    typed('Name', 'Full Name', 'string', {
      ...readOnly,
      calculated: (r) =>
        [r.get('FirstName'), r.get('LastName')]
          .filter((v) => typeof v === 'string' && v !== '')
          .join(' '),
    }),
    typed('Email', 'Email', 'email', { required: true }),
    typed('IsActive', 'Active', 'boolean', { defaultValue: true }),
  ]),
  object(
    'Account',
    '001',
    'Accounts',
    [
      text('Name', 'Account Name', { required: true }),
      typed('Type', 'Account Type', 'picklist', {
        picklistValues: ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Partner', 'Other'],
      }),
      typed('Industry', 'Industry', 'picklist', {
        picklistValues: ['Communications', 'Technology', 'Retail', 'Other'],
      }),
      text('AccountNumber', 'Account Number', { length: 40 }),
      text('BillingStreet', 'Billing Street'),
      text('BillingCity', 'Billing City', { length: 40 }),
      text('BillingPostalCode', 'Billing Zip/Postal Code', { length: 20 }),
      text('BillingCountry', 'Billing Country', { length: 80 }),
      typed('Phone', 'Account Phone', 'phone'),
      typed('Website', 'Website', 'url'),
      OWNER,
    ],
    [
      { name: 'Contacts', childObject: 'Contact', field: 'AccountId' },
      { name: 'Opportunities', childObject: 'Opportunity', field: 'AccountId' },
    ],
  ),
  object('Contact', '003', 'Contacts', [
    text('FirstName', 'First Name', { length: 40 }),
    text('LastName', 'Last Name', { required: true, length: 80 }),
    typed('Name', 'Full Name', 'string', {
      ...readOnly,
      calculated: (r) =>
        [r.get('FirstName'), r.get('LastName')]
          .filter((v) => typeof v === 'string' && v !== '')
          .join(' '),
    }),
    typed('Email', 'Email', 'email'),
    typed('Phone', 'Business Phone', 'phone'),
    text('Title', 'Title', { length: 128 }),
    ref('AccountId', 'Account ID', 'Account', 'Account'),
    OWNER,
  ]),
  object(
    'Product2',
    '01t',
    'Products',
    [
      text('Name', 'Product Name', { required: true }),
      text('ProductCode', 'Product Code'),
      typed('Description', 'Product Description', 'textarea'),
      text('Family', 'Product Family'),
      typed('IsActive', 'Active', 'boolean', { defaultValue: false }),
    ],
    [{ name: 'PricebookEntries', childObject: 'PricebookEntry', field: 'Product2Id' }],
  ),
  object(
    'Pricebook2',
    '01s',
    'Price Books',
    [
      text('Name', 'Price Book Name', { required: true }),
      typed('IsActive', 'Active', 'boolean', { defaultValue: false }),
      typed('IsStandard', 'Is Standard Price Book', 'boolean', {
        ...readOnly,
        defaultValue: false,
      }),
      typed('Description', 'Description', 'textarea'),
    ],
    [{ name: 'PricebookEntries', childObject: 'PricebookEntry', field: 'Pricebook2Id' }],
  ),
  object('PricebookEntry', '01u', 'Price Book Entries', [
    ref('Pricebook2Id', 'Price Book ID', 'Pricebook2', 'Pricebook2', {
      required: true,
      updateable: false,
    }),
    ref('Product2Id', 'Product ID', 'Product2', 'Product2', { required: true, updateable: false }),
    typed('UnitPrice', 'List Price', 'currency', { required: true }),
    typed('IsActive', 'Active', 'boolean', { defaultValue: false }),
    typed('UseStandardPrice', 'Use Standard Price', 'boolean', { defaultValue: false }),
    text('Name', 'Product Name', readOnly),
    text('ProductCode', 'Product Code', readOnly),
  ]),
  object(
    'Opportunity',
    '006',
    'Opportunities',
    [
      text('Name', 'Name', { required: true, length: 120 }),
      ref('AccountId', 'Account ID', 'Account', 'Account'),
      typed('StageName', 'Stage', 'picklist', {
        required: true,
        picklistValues: OPPORTUNITY_STAGES,
      }),
      typed('CloseDate', 'Close Date', 'date', { required: true }),
      typed('Amount', 'Amount', 'currency'),
      typed('Probability', 'Probability (%)', 'percent'),
      typed('Type', 'Opportunity Type', 'picklist', {
        picklistValues: [
          'New Customer',
          'Existing Customer - Upgrade',
          'Existing Customer - Replacement',
          'Existing Customer - Downgrade',
        ],
      }),
      typed('Description', 'Description', 'textarea'),
      ref('Pricebook2Id', 'Price Book ID', 'Pricebook2', 'Pricebook2'),
      typed('IsClosed', 'Closed', 'boolean', {
        ...readOnly,
        calculated: (r) => stage(r) === CLOSED_WON || stage(r) === CLOSED_LOST,
      }),
      typed('IsWon', 'Won', 'boolean', { ...readOnly, calculated: (r) => stage(r) === CLOSED_WON }),
      OWNER,
    ],
    [{ name: 'OpportunityLineItems', childObject: 'OpportunityLineItem', field: 'OpportunityId' }],
  ),
  object('OpportunityLineItem', '00k', 'Opportunity Product', [
    ref('OpportunityId', 'Opportunity ID', 'Opportunity', 'Opportunity', {
      required: true,
      updateable: false,
    }),
    ref('PricebookEntryId', 'Price Book Entry ID', 'PricebookEntry', 'PricebookEntry', {
      required: true,
      updateable: false,
    }),
    ref('Product2Id', 'Product ID', 'Product2', 'Product2', { updateable: false }),
    typed('Quantity', 'Quantity', 'double', { required: true }),
    typed('UnitPrice', 'Sales Price', 'currency'),
    typed('TotalPrice', 'Total Price', 'currency'),
    typed('Description', 'Line Description', 'string'),
    text('Name', 'Opportunity Product Name', readOnly),
    text('ProductCode', 'Product Code', readOnly),
  ]),
];
