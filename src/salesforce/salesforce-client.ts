import { SfRelayError } from '../shared/index.ts';

/** Where and as whom to call back, taken from the stored outbound message. */
export interface CallbackTarget {
  readonly organizationId: string;
  /** `PartnerUrl` of the message: its scheme and host are the instance in legacy mode. */
  readonly partnerUrl: string;
  /** The message's SessionId (legacy orgs only), or null. */
  readonly sessionId: string | null;
}

export interface OpportunityLine {
  readonly id: string;
  readonly productCode: string | null;
  readonly productName: string | null;
  readonly quantity: number;
  readonly unitPrice: number | null;
  readonly totalPrice: number | null;
}

/** The Opportunity as Salesforce holds it now (read back by SOQL), which the guard decides on. */
export interface OpportunitySnapshot {
  readonly id: string;
  readonly name: string;
  readonly stageName: string;
  readonly amount: number | null;
  readonly closeDate: string | null;
  readonly accountId: string | null;
  readonly accountName: string | null;
  readonly orderNumber: string | null;
  readonly orderStatus: string | null;
  readonly lineItems: readonly OpportunityLine[];
}

export interface OrderResult {
  readonly orderNumber: string;
  readonly orderStatus: string;
}

/** One order result to write onto its Opportunity. */
export interface OrderWrite {
  readonly opportunityId: string;
  readonly result: OrderResult;
}

/**
 * What a batch call gives back for each record, by 18-character Opportunity id: its value, or
 * the failure of that record alone (a record-level error, or the failure of the call that
 * carried it), classified like a single call's.
 */
export type PerRecord<T> = ReadonlyMap<string, T | Error>;

/** The worker's view of Salesforce: read the record back, write the order result on it. */
export interface SalesforceClient {
  /** The Opportunity with its Account name and line items, or null when it no longer exists. */
  readOpportunity(
    target: CallbackTarget,
    opportunityId: string,
  ): Promise<OpportunitySnapshot | null>;
  /** Writes `Order_Number__c` and `Order_Status__c` by the configured callback (REST, SOAP or Apex REST). */
  writeOrderResult(
    target: CallbackTarget,
    opportunityId: string,
    result: OrderResult,
  ): Promise<void>;
  /**
   * Many Opportunities by one SOQL `WHERE Id IN (…)` per chunk of ids (chunked to stay within
   * the URL length Salesforce accepts); a record that no longer exists maps to null.
   */
  readOpportunities(
    target: CallbackTarget,
    opportunityIds: readonly string[],
  ): Promise<PerRecord<OpportunitySnapshot | null>>;
  /**
   * Many order results in one call per 200 records (sObject Collections, SOAP `update`, or the
   * Apex class's list form): each record succeeds (null) or fails on its own.
   */
  writeOrderResults(
    target: CallbackTarget,
    writes: readonly OrderWrite[],
  ): Promise<PerRecord<null>>;
}

/** A failure worth retrying: 503, UNABLE_TO_LOCK_ROW, REQUEST_LIMIT_EXCEEDED, network errors. */
export class SalesforceRetryableError extends SfRelayError {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A failure retrying cannot fix: ENTITY_IS_DELETED, INVALID_FIELD, MALFORMED_ID, … */
export class SalesforcePermanentError extends SfRelayError {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Salesforce refused our OAuth credentials (bad client secret, revoked app, unknown user).
 * Every message will fail the same way until an operator fixes the configuration, so the
 * worker retries with backoff and says so loudly.
 */
export class SalesforceAuthError extends SfRelayError {
  readonly code = 'SALESFORCE_AUTH_FAILED';
}

/**
 * Legacy mode: the message's SessionId has expired and no OAuth is configured for the org.
 * The worker may retry with a newer message's SessionId.
 */
export class SessionExpiredError extends SfRelayError {
  readonly code = 'SESSION_EXPIRED';
}
