import { defineErrorCatalogue, type ErrorDescription } from '../shared/index.ts';

const RETRIED =
  'Nothing to do unless it persists: the worker retries with backoff until `maxAgeHours`.';
const DEAD =
  'The notification is dead: fix the cause, then `sf-relay replay <notificationId>` (or replay every dead one with `sf-relay replay --dead`).';

function retried(meaning: string): ErrorDescription {
  return { retryable: true, meaning, action: RETRIED };
}

function dead(meaning: string, fix?: string): ErrorDescription {
  return { retryable: false, meaning, action: fix === undefined ? DEAD : `${fix} ${DEAD}` };
}

/** Failures of the read-back and the callback that sf-relay itself names. */
export const SALESFORCE_ERRORS = defineErrorCatalogue('salesforce', {
  SALESFORCE_AUTH_FAILED: {
    retryable: true,
    meaning:
      'Salesforce refused the OAuth credentials (bad client secret or key, revoked app, unknown user, missing scope), or no OAuth is configured for the org.',
    action:
      'Fix `salesforce.oauth` (or the org’s `salesforce.orgs` entry) and check the connected app; `sf-relay check` tells which part fails. The worker keeps retrying, loudly, until then.',
  },
  SESSION_EXPIRED: {
    retryable: true,
    meaning:
      'Legacy SessionId mode: the message’s SessionId has expired (or it has none) and no OAuth is configured for the org.',
    action:
      'Configure OAuth for the org (Salesforce stopped sending SessionIds in 2026). Until then the worker retries with a newer message’s SessionId.',
  },
  INVALID_SESSION_ID: retried(
    'Salesforce rejected the token (expired or revoked); the worker renews it and retries once at once.',
  ),
  SALESFORCE_TIMEOUT: retried('Salesforce did not answer within `salesforce.timeoutMs`.'),
  SALESFORCE_UNREACHABLE: retried('Salesforce could not be reached (refused, reset, DNS).'),
  SALESFORCE_BAD_REPLY: retried(
    'Salesforce answered 2xx with a body the relay could not read (a proxy or an outage page).',
  ),
  HTTP_status: retried(
    'Salesforce answered with an HTTP status and no error code (e.g. `HTTP_503`): 5xx, 408 and 429 are retried, others are permanent.',
  ),
  MALFORMED_ID: dead(
    'The notification’s record id is not an Opportunity id (15 or 18 characters starting with 006).',
  ),
  SESSION_ORG_MISMATCH: dead(
    'Legacy mode: the message’s SessionId belongs to another org than the one the message names; it was not used.',
    'A forged or misrouted message: check where it came from.',
  ),
  SESSION_URL_INSECURE: dead(
    'Legacy mode: the message’s PartnerUrl is not https on port 443, so its SessionId was not sent there.',
  ),
  SESSION_HOST_NOT_PINNED: dead(
    'Legacy mode: the message’s PartnerUrl names a host other than the one pinned for the org, or none is pinned.',
    'Set `salesforce.orgs[].instanceHost`, or configure OAuth for the org.',
  ),
  INVALID_PARTNER_URL: dead('Legacy mode: the message’s PartnerUrl is not a URL.'),
});

/**
 * Salesforce's own error codes and what the worker makes of them: its words for "try again
 * later", and the ones that mean this request can never succeed as it is. SOAP reports every
 * fault with HTTP 500, so the code, not the status, decides. A code not listed here is
 * classified by status (5xx, 408, 429 retried; others permanent).
 */
export const SALESFORCE_REPLY_CODES = defineErrorCatalogue(
  'salesforce (codes Salesforce answers with)',
  {
    SERVER_UNAVAILABLE: retried('Salesforce is busy or in maintenance.'),
    UNABLE_TO_LOCK_ROW: retried('Another transaction holds a lock on the Opportunity.'),
    REQUEST_LIMIT_EXCEEDED: retried(
      'The org’s API request limit for the rolling 24 hours is used up (or too many concurrent requests).',
    ),
    REQUEST_RUNNING_TOO_LONG: retried('The request ran longer than Salesforce allows.'),
    QUERY_TIMEOUT: retried('The read-back query timed out.'),
    UNKNOWN_EXCEPTION: retried('An internal Salesforce error.'),
    ENTITY_IS_DELETED: dead(
      'The Opportunity was deleted.',
      'Undelete it if the order should be written back.',
    ),
    INVALID_FIELD: dead(
      'A field the relay reads or writes does not exist for the integration user.',
      'Deploy `salesforce-metadata/` and assign the permission set.',
    ),
    INVALID_FIELD_FOR_INSERT_UPDATE: dead(
      'A field the callback writes is not writable.',
      'Check field-level security in the permission set.',
    ),
    MALFORMED_QUERY: dead('Salesforce could not parse the read-back SOQL.'),
    NOT_FOUND: dead('The record or the Apex REST endpoint was not found.'),
    INVALID_CROSS_REFERENCE_KEY: dead('A lookup value points at a record that does not exist.'),
    INVALID_ID_FIELD: dead('An id in the request is not valid for its field.'),
    INVALID_TYPE: dead('The sObject type is not available to the integration user.'),
    INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: dead(
      'The callback’s status value is not in the restricted picklist.',
      'Add the value to the picklist (see `salesforce-metadata/`).',
    ),
    FIELD_CUSTOM_VALIDATION_EXCEPTION: dead(
      'A validation rule on the Opportunity refused the write-back.',
      'Let the integration user pass the rule.',
    ),
    REQUIRED_FIELD_MISSING: dead('A required field is missing from the write.'),
    STRING_TOO_LONG: dead('A value is longer than its field.'),
    DUPLICATE_VALUE: dead('A unique field already holds this value on another record.'),
    INSUFFICIENT_ACCESS_OR_READONLY: dead(
      'The integration user lacks edit access to this record.',
      'Give it Modify All on the object (the SF_Relay_Integration permission set grants it on Opportunity), ownership of the record, or sharing that gives it Read/Write (docs/salesforce-setup.md).',
    ),
    INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: dead(
      'The integration user cannot see a record the write refers to.',
    ),
    API_DISABLED_FOR_ORG: dead('The API is not enabled for the org (edition or permission).'),
    API_CURRENTLY_DISABLED: dead(
      'The API is disabled for the integration user.',
      'Give the user the API Enabled permission.',
    ),
    UNSUPPORTED_API_VERSION: dead(
      'The configured API version is not served by the org.',
      'Set `salesforce.apiVersion` to one the org serves.',
    ),
    JSON_PARSER_ERROR: dead('Salesforce could not parse the callback’s JSON.'),
    INVALID_TYPE_ON_FIELD_IN_RECORD: dead('A value has the wrong type for its field.'),
    SOAP_CLIENT_FAULT: dead('The SOAP API answered a Client fault without a more specific code.'),
  },
);
