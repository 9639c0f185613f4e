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

const OWNER = ref('OwnerId', 'Owner ID', 'User', 'Owner', { defaultedOnCreate: true });

/** Street, City, State, PostalCode and Country under a prefix (`Billing`, `Shipping`, none). */
const address = (prefix: string, label: string): FieldDefinition[] => [
  typed(`${prefix}Street`, `${label} Street`.trim(), 'textarea', { length: 255 }),
  text(`${prefix}City`, `${label} City`.trim(), { length: 40 }),
  text(`${prefix}State`, `${label} State/Province`.trim(), { length: 80 }),
  text(`${prefix}PostalCode`, `${label} Zip/Postal Code`.trim(), { length: 20 }),
  text(`${prefix}Country`, `${label} Country`.trim(), { length: 80 }),
];

const INDUSTRIES = [
  'Agriculture',
  'Apparel',
  'Banking',
  'Biotechnology',
  'Chemicals',
  'Communications',
  'Construction',
  'Consulting',
  'Education',
  'Electronics',
  'Energy',
  'Engineering',
  'Entertainment',
  'Environmental',
  'Finance',
  'Food & Beverage',
  'Government',
  'Healthcare',
  'Hospitality',
  'Insurance',
  'Machinery',
  'Manufacturing',
  'Media',
  'Not For Profit',
  'Recreation',
  'Retail',
  'Shipping',
  'Technology',
  'Telecommunications',
  'Transportation',
  'Utilities',
  'Other',
];
const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
/** Maintained by activities (tasks, events), which the emulator does not model: always null. */
const LAST_ACTIVITY = typed('LastActivityDate', 'Last Activity', 'date', {
  createable: false,
  updateable: false,
});

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

/**
 * What a stage implies when a write does not say otherwise: the default Probability and
 * ForecastCategoryName of Salesforce's standard sales process (Setup → Opportunity Stages).
 */
export const STAGE_DEFAULTS: Readonly<
  Record<string, { probability: number; forecastCategory: string }>
> = {
  Prospecting: { probability: 10, forecastCategory: 'Pipeline' },
  Qualification: { probability: 10, forecastCategory: 'Pipeline' },
  'Needs Analysis': { probability: 20, forecastCategory: 'Pipeline' },
  'Value Proposition': { probability: 50, forecastCategory: 'Pipeline' },
  'Id. Decision Makers': { probability: 60, forecastCategory: 'Pipeline' },
  'Perception Analysis': { probability: 70, forecastCategory: 'Pipeline' },
  'Proposal/Price Quote': { probability: 75, forecastCategory: 'Pipeline' },
  'Negotiation/Review': { probability: 90, forecastCategory: 'Pipeline' },
  [CLOSED_WON]: { probability: 100, forecastCategory: 'Closed' },
  [CLOSED_LOST]: { probability: 0, forecastCategory: 'Omitted' },
};

/** First and last name joined: the read-only `Name` of people (User, Contact, Lead). */
const fullName = typed('Name', 'Full Name', 'string', {
  ...readOnly,
  calculated: (r) =>
    [r.get('FirstName'), r.get('LastName')]
      .filter((v) => typeof v === 'string' && v !== '')
      .join(' '),
});

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
    fullName,
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
        picklistValues: [
          'Prospect',
          'Customer - Direct',
          'Customer - Channel',
          'Channel Partner / Reseller',
          'Installation Partner',
          'Technology Partner',
          'Partner',
          'Other',
        ],
      }),
      typed('Industry', 'Industry', 'picklist', { picklistValues: INDUSTRIES }),
      text('AccountNumber', 'Account Number', { length: 40 }),
      ...address('Billing', 'Billing'),
      ...address('Shipping', 'Shipping'),
      typed('Phone', 'Account Phone', 'phone', { length: 40 }),
      typed('Fax', 'Account Fax', 'phone', { length: 40 }),
      typed('Website', 'Website', 'url'),
      typed('NumberOfEmployees', 'Employees', 'int'),
      typed('AnnualRevenue', 'Annual Revenue', 'currency'),
      typed('Rating', 'Account Rating', 'picklist', { picklistValues: ['Hot', 'Warm', 'Cold'] }),
      typed('Description', 'Account Description', 'textarea', { length: 32000 }),
      ref('ParentId', 'Parent Account ID', 'Account', 'Parent'),
      LAST_ACTIVITY,
      OWNER,
    ],
    [
      { name: 'Contacts', childObject: 'Contact', field: 'AccountId' },
      { name: 'Opportunities', childObject: 'Opportunity', field: 'AccountId' },
      { name: 'Cases', childObject: 'Case', field: 'AccountId' },
      { name: 'ChildAccounts', childObject: 'Account', field: 'ParentId' },
    ],
  ),
  object(
    'Contact',
    '003',
    'Contacts',
    [
      text('FirstName', 'First Name', { length: 40 }),
      text('LastName', 'Last Name', { required: true, length: 80 }),
      fullName,
      typed('Email', 'Email', 'email'),
      typed('Phone', 'Business Phone', 'phone'),
      text('Title', 'Title', { length: 128 }),
      ref('AccountId', 'Account ID', 'Account', 'Account'),
      typed('LeadSource', 'Lead Source', 'picklist', { picklistValues: LEAD_SOURCES }),
      ...address('Mailing', 'Mailing'),
      LAST_ACTIVITY,
      OWNER,
    ],
    [{ name: 'Cases', childObject: 'Case', field: 'ContactId' }],
  ),
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
      typed('ForecastCategoryName', 'Forecast Category', 'picklist', {
        picklistValues: ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'],
      }),
      typed('LeadSource', 'Lead Source', 'picklist', { picklistValues: LEAD_SOURCES }),
      text('NextStep', 'Next Step'),
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
      LAST_ACTIVITY,
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
  object('Lead', '00Q', 'Leads', [
    text('FirstName', 'First Name', { length: 40 }),
    text('LastName', 'Last Name', { required: true, length: 80 }),
    fullName,
    text('Company', 'Company', { required: true }),
    text('Title', 'Title', { length: 128 }),
    typed('Email', 'Email', 'email'),
    typed('Phone', 'Phone', 'phone', { length: 40 }),
    typed('Website', 'Website', 'url'),
    typed('Status', 'Lead Status', 'picklist', {
      picklistValues: [
        'Open - Not Contacted',
        'Working - Contacted',
        'Closed - Converted',
        'Closed - Not Converted',
      ],
      defaultValue: 'Open - Not Contacted',
    }),
    typed('LeadSource', 'Lead Source', 'picklist', { picklistValues: LEAD_SOURCES }),
    typed('Industry', 'Industry', 'picklist', { picklistValues: INDUSTRIES }),
    typed('Rating', 'Rating', 'picklist', { picklistValues: ['Hot', 'Warm', 'Cold'] }),
    typed('AnnualRevenue', 'Annual Revenue', 'currency'),
    typed('NumberOfEmployees', 'Employees', 'int'),
    ...address('', ''),
    typed('Description', 'Description', 'textarea', { length: 32000 }),
    typed('IsConverted', 'Converted', 'boolean', { ...readOnly, defaultValue: false }),
    typed('ConvertedDate', 'Converted Date', 'date', readOnly),
    ref('ConvertedAccountId', 'Converted Account ID', 'Account', 'ConvertedAccount', readOnly),
    ref('ConvertedContactId', 'Converted Contact ID', 'Contact', 'ConvertedContact', readOnly),
    ref(
      'ConvertedOpportunityId',
      'Converted Opportunity ID',
      'Opportunity',
      'ConvertedOpportunity',
      readOnly,
    ),
    LAST_ACTIVITY,
    OWNER,
  ]),
  object('Case', '500', 'Cases', [
    text('CaseNumber', 'Case Number', { ...readOnly, length: 30 }),
    text('Subject', 'Subject'),
    typed('Description', 'Description', 'textarea', { length: 32000 }),
    typed('Status', 'Status', 'picklist', {
      picklistValues: ['New', 'Working', 'Escalated', 'Closed'],
      defaultValue: 'New',
    }),
    typed('Priority', 'Priority', 'picklist', {
      picklistValues: ['High', 'Medium', 'Low'],
      defaultValue: 'Medium',
    }),
    typed('Origin', 'Case Origin', 'picklist', { picklistValues: ['Phone', 'Email', 'Web'] }),
    typed('Type', 'Case Type', 'picklist', {
      picklistValues: ['Mechanical', 'Electrical', 'Electronic', 'Structural', 'Other'],
    }),
    typed('Reason', 'Case Reason', 'picklist', {
      picklistValues: [
        'Installation',
        'Equipment Complexity',
        'Performance',
        'Breakdown',
        'Equipment Design',
        'Feedback',
        'Other',
      ],
    }),
    ref('AccountId', 'Account ID', 'Account', 'Account'),
    ref('ContactId', 'Contact ID', 'Contact', 'Contact'),
    typed('SuppliedName', 'Web Name', 'string', { length: 80 }),
    typed('SuppliedEmail', 'Web Email', 'email'),
    typed('SuppliedPhone', 'Web Phone', 'string', { length: 40 }),
    typed('IsClosed', 'Closed', 'boolean', {
      ...readOnly,
      calculated: (r) => r.get('Status') === 'Closed',
    }),
    typed('ClosedDate', 'Closed Date', 'datetime', readOnly),
    OWNER,
  ]),
];
