/** Namespaces of a Salesforce outbound message (SALESFORCE.md §1). */
export const SOAP_ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const OUTBOUND_NS = 'http://soap.sforce.com/2005/09/outbound';
export const SOBJECT_ENTERPRISE_NS = 'urn:sobject.enterprise.soap.sforce.com';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** Salesforce's hard limit on notifications in one outbound message. */
export const MAX_NOTIFICATIONS_PER_MESSAGE = 100;

/** Field values as Salesforce serialises them; `null` for a nil (or left-out-then-nil) field. */
export type FieldValue = string | null;

export interface SObjectRecord {
  /** The sObject type from `xsi:type`, e.g. `Opportunity`. */
  readonly type: string;
  /** The record id (`sf:Id`), or null when the record carries no data (deleted before sending). */
  readonly id: string | null;
  /** The chosen fields, in document order, excluding `Id`. */
  readonly fields: Readonly<Record<string, FieldValue>>;
}

export interface OutboundNotification {
  /** The notification id (`04l…`): the dedupe key. */
  readonly id: string;
  /** The record, or null when the notification carries no sObject element at all. */
  readonly sObject: SObjectRecord | null;
}

export interface OutboundMessage {
  readonly organizationId: string;
  readonly actionId: string;
  /** Legacy orgs only: a session usable as a bearer token. Null when nil (every org since 2026). */
  readonly sessionId: string | null;
  readonly enterpriseUrl: string;
  readonly partnerUrl: string;
  /** 1..100 notifications, in document order. */
  readonly notifications: readonly OutboundNotification[];
}
