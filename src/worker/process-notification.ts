import { messageOf } from '../shared/index.ts';
import {
  ErpKeyConflictError,
  ErpRejectedError,
  ErpUnavailableError,
  type ErpPort,
} from '../erp/index.ts';
import type { ClaimedMessage } from '../inbox/index.ts';
import {
  SalesforceAuthError,
  SalesforcePermanentError,
  SalesforceRetryableError,
  SessionExpiredError,
  type CallbackTarget,
  type OpportunitySnapshot,
  type SalesforceClient,
} from '../salesforce/index.ts';
import { toId18 } from '../soap/index.ts';
import { mapToErpOrder } from './map-order.ts';

const CLOSED_WON = 'Closed Won';
/** The status written on the Opportunity once the ERP holds the order. */
export const ORDER_STATUS_CREATED = 'Created';

export type Outcome =
  | { readonly kind: 'done'; readonly note: string; readonly orderNumber?: string }
  | {
      readonly kind: 'retry';
      readonly code: string;
      readonly error: string;
      readonly loud: boolean;
    }
  | { readonly kind: 'dead'; readonly code: string; readonly reason: string };

export interface ProcessDependencies {
  readonly salesforce: SalesforceClient;
  readonly erp: ErpPort;
  /** Legacy mode: a newer message's SessionId from the same org, if one has arrived. */
  readonly newerSessionId: (organizationId: string, since: Date) => Promise<string | null>;
  /**
   * Aborted when the lease is lost or the worker stops: no further step starts, and the ERP
   * call in flight is cancelled. The caller then records nothing (the lease is not ours).
   */
  readonly signal?: AbortSignal;
}

/**
 * One notification, start to finish: read the record back, let the guard decide, create the
 * order with the Opportunity id as idempotency key, write the result back. Every step is safe
 * to repeat, which is what makes a retry after any failure (or a crash) harmless.
 */
export async function processNotification(
  message: ClaimedMessage,
  deps: ProcessDependencies,
): Promise<Outcome> {
  const settled = settledWithoutSalesforce(message);
  if (settled !== null) return settled;
  const opportunityId = toId18(message.recordId ?? '');
  const target = callbackTargetOf(message);
  try {
    return await run(opportunityId, target, deps);
  } catch (error) {
    if (!(error instanceof SessionExpiredError)) return classify(error);
    // Legacy mode without OAuth: a later message may carry a live session.
    const newer = await deps.newerSessionId(message.organizationId, message.receivedAt);
    if (newer === null) return classify(error);
    try {
      return await run(opportunityId, { ...target, sessionId: newer }, deps);
    } catch (retryError) {
      return classify(retryError);
    }
  }
}

/** The outcome of a notification there is nothing to read back for, or null. */
export function settledWithoutSalesforce(message: ClaimedMessage): Outcome | null {
  if (message.recordId === null)
    return { kind: 'done', note: 'the notification carries no record (deleted before sending)' };
  if (message.objectType !== 'Opportunity') {
    return {
      kind: 'dead',
      code: 'UNSUPPORTED_OBJECT',
      reason: `sf-relay turns Opportunities into orders; this notification is for ${message.objectType ?? 'no object'}`,
    };
  }
  return null;
}

export function callbackTargetOf(message: ClaimedMessage): CallbackTarget {
  return {
    organizationId: message.organizationId,
    partnerUrl: message.partnerUrl,
    sessionId: message.sessionId,
  };
}

/** The guard's verdict on the record as read back: order it, or done without an order. */
export type Guarded =
  | { readonly kind: 'order'; readonly opportunity: OpportunitySnapshot }
  | { readonly kind: 'settled'; readonly outcome: Outcome };

export function guard(opportunity: OpportunitySnapshot | null, opportunityId: string): Guarded {
  const done = (note: string): Guarded => ({ kind: 'settled', outcome: { kind: 'done', note } });
  if (opportunity === null)
    return done(`Opportunity ${opportunityId} no longer exists; nothing to order`);
  if (opportunity.stageName !== CLOSED_WON) {
    return done(
      `Opportunity ${opportunityId} is no longer Closed Won (now ${opportunity.stageName}); no order`,
    );
  }
  if (opportunity.orderNumber !== null)
    return done(`Opportunity ${opportunityId} already carries order ${opportunity.orderNumber}`);
  return { kind: 'order', opportunity };
}

async function run(
  opportunityId: string,
  target: CallbackTarget,
  deps: ProcessDependencies,
): Promise<Outcome> {
  const verdict = guard(
    await deps.salesforce.readOpportunity(target, opportunityId),
    opportunityId,
  );
  if (verdict.kind === 'settled') return verdict.outcome;
  const { opportunity } = verdict;
  deps.signal?.throwIfAborted();
  const { orderNumber, how } = await createOrFindOrder(opportunity, opportunityId, deps);
  deps.signal?.throwIfAborted();
  await deps.salesforce.writeOrderResult(target, opportunityId, {
    orderNumber,
    orderStatus: ORDER_STATUS_CREATED,
  });
  return { kind: 'done', note: `order ${orderNumber} ${how} and written back`, orderNumber };
}

/**
 * The ERP refuses a second order for the same key when the request changed (the Opportunity's
 * amount was edited after its order was made, before the number reached Salesforce). That
 * order is the one: it is looked up and its number written back instead of dying with the
 * order made and Salesforce never told.
 */
export async function createOrFindOrder(
  opportunity: OpportunitySnapshot,
  opportunityId: string,
  deps: Pick<ProcessDependencies, 'erp' | 'signal'>,
): Promise<{ orderNumber: string; how: string }> {
  try {
    const { order } = await deps.erp.createOrder(
      mapToErpOrder(opportunity),
      opportunityId,
      deps.signal,
    );
    return { orderNumber: order.orderNumber, how: 'created' };
  } catch (error) {
    if (!(error instanceof ErpKeyConflictError)) throw error;
    const existing = await deps.erp.findOrderFor(opportunityId, deps.signal);
    if (existing === null) throw error;
    return {
      orderNumber: existing.orderNumber,
      how: 'already existed (the Opportunity changed after it was made)',
    };
  }
}

/** A failure's outcome, by its type: retry, loud retry, or dead. */
export function classify(error: unknown): Outcome {
  const message = messageOf(error);
  if (error instanceof ErpUnavailableError || error instanceof SalesforceRetryableError) {
    return { kind: 'retry', code: error.code, error: message, loud: false };
  }
  if (error instanceof SalesforceAuthError)
    return { kind: 'retry', code: error.code, error: message, loud: true };
  if (error instanceof SessionExpiredError)
    return { kind: 'retry', code: error.code, error: message, loud: false };
  if (error instanceof ErpRejectedError || error instanceof SalesforcePermanentError) {
    return { kind: 'dead', code: error.code, reason: message };
  }
  // Not a failure we know: most likely a bug or a new kind of outage. Retrying is the safe side.
  return { kind: 'retry', code: 'UNEXPECTED', error: message, loud: true };
}
