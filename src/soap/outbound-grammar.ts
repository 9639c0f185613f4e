/** The fixed parts of the outbound-message schema (SALESFORCE.md §1) both readers enforce. */

/** The XSD sequence of `notifications` before its `Notification` elements. */
export const HEADER_SEQUENCE = [
  'OrganizationId',
  'ActionId',
  'SessionId',
  'EnterpriseUrl',
  'PartnerUrl',
] as const;

/** Salesforce objects have at most 800 custom fields plus their standard ones. */
export const MAX_FIELDS_PER_SOBJECT = 1000;
