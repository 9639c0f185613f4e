import { SfRelayError } from '../shared/index.ts';

/** One order line, mapped from an OpportunityLineItem. */
export interface ErpOrderLine {
  readonly productCode: string | null;
  readonly productName: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

/** What the worker asks the ERP (the data master) to create for a Closed Won Opportunity. */
export interface ErpOrderRequest {
  readonly opportunityId: string;
  readonly opportunityName: string;
  readonly accountId: string | null;
  readonly accountName: string | null;
  readonly amount: number | null;
  readonly closeDate: string | null;
  readonly lines: readonly ErpOrderLine[];
}

export interface ErpOrder {
  /** `SO-000001`, … */
  readonly orderNumber: string;
  readonly status: string;
  readonly opportunityId: string;
  readonly createdAt: string;
}

export interface CreateOrderResult {
  readonly order: ErpOrder;
  /** False when the idempotency key had already created this order (a repeat). */
  readonly created: boolean;
}

/** The worker's view of the ERP. Implementations: the HTTP adapter (any ERP behind our API). */
export interface ErpPort {
  /**
   * Creates the order, or returns the one this key created before. Rejects with
   * `ErpUnavailableError` (retryable: 5xx, timeout, reset), `ErpKeyConflictError` (the key
   * already created an order from another request) or `ErpRejectedError` (permanent: 4xx).
   * `signal` aborts the call (the worker lost its lease); the call then rejects with
   * `ErpUnavailableError`.
   */
  createOrder(
    request: ErpOrderRequest,
    idempotencyKey: string,
    signal?: AbortSignal,
  ): Promise<CreateOrderResult>;

  /** The order created for an Opportunity, or null: how a key conflict is resolved. */
  findOrderFor(opportunityId: string, signal?: AbortSignal): Promise<ErpOrder | null>;
}

/** The ERP could not be reached or failed on its side; the same call may succeed later. */
export class ErpUnavailableError extends SfRelayError {
  readonly code = 'ERP_UNAVAILABLE';
}

/** The ERP refused the order itself (validation, conflicting key); retrying cannot help. */
export class ErpRejectedError extends SfRelayError {
  readonly code: string = 'ERP_REJECTED';
}

/**
 * The idempotency key (the Opportunity id) already created an order from a different request:
 * the Opportunity changed after the order was made (its amount, a line) and before its number
 * reached Salesforce. The order exists; the worker looks it up and writes its number back.
 */
export class ErpKeyConflictError extends ErpRejectedError {
  override readonly code = 'ERP_KEY_CONFLICT';
}
