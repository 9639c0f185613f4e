import type { FieldValue, OutboundMessage, OutboundNotification } from '../../src/soap/index.ts';

let sequence = 0;

/** A fresh notification id per call, shaped like Salesforce's (`04l` + 15). */
export function notificationId(): string {
  sequence += 1;
  return `04l${String(sequence).padStart(15, '0')}`;
}

/** A notification about one Opportunity; `recordId: null` gives an sObject without an Id. */
export function opportunityNotification(
  recordId: string | null,
  options: { id?: string; fields?: Record<string, FieldValue> } = {},
): OutboundNotification {
  return {
    id: options.id ?? notificationId(),
    sObject: {
      type: 'Opportunity',
      id: recordId,
      fields: options.fields ?? { StageName: 'Closed Won' },
    },
  };
}

/** A notification carrying no sObject element at all. */
export function bareNotification(id: string = notificationId()): OutboundNotification {
  return { id, sObject: null };
}

export function outboundMessage(
  notifications: readonly OutboundNotification[],
  options: { sessionId?: string | null } = {},
): OutboundMessage {
  return {
    organizationId: '00D000000000001AAA',
    actionId: '04k000000000001AAA',
    sessionId: options.sessionId ?? null,
    enterpriseUrl: 'https://example.my.salesforce.com/services/Soap/c/62.0/00D000000000001',
    partnerUrl: 'https://example.my.salesforce.com/services/Soap/u/62.0/00D000000000001',
    notifications,
  };
}

/** Record ids of distinct Opportunities. */
export function opportunityId(n: number): string {
  return `006${String(n).padStart(12, '0')}AAA`;
}
