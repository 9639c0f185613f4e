import { z } from 'zod';

/**
 * The order as the ERP's HTTP API writes it. The service produces it and the adapter parses it:
 * a reply is an input like any other.
 */
export const orderJsonSchema = z.object({
  orderNumber: z.string().min(1),
  status: z.string().min(1),
  opportunityId: z.string().min(1),
  createdAt: z.string().min(1),
  lines: z.array(
    z.object({
      lineNumber: z.number().int(),
      productCode: z.string().nullable(),
      productName: z.string(),
      quantity: z.number(),
      unitPrice: z.number(),
    }),
  ),
});

export type OrderJson = z.infer<typeof orderJsonSchema>;

/** The problem type (RFC 9457) the ERP answers, with 422, when a key already made another order. */
export const KEY_REUSED_PROBLEM = 'urn:sf-relay:erp:idempotency-key-reused';
