import { SfRelayError } from '../errors.ts';

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
   * `ErpUnavailableError` (retryable: 5xx, timeout, reset) or `ErpRejectedError` (permanent: 4xx).
   */
  createOrder(request: ErpOrderRequest, idempotencyKey: string): Promise<CreateOrderResult>;
}

/** The ERP could not be reached or failed on its side; the same call may succeed later. */
export class ErpUnavailableError extends SfRelayError {
  readonly code = 'ERP_UNAVAILABLE';
}

/** The ERP refused the order itself (validation, conflicting key); retrying cannot help. */
export class ErpRejectedError extends SfRelayError {
  readonly code = 'ERP_REJECTED';
}
