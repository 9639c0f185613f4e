import { z } from 'zod';
import type { ErpOrderRequest } from '../erp/index.ts';

const salesforceId = z
  .string()
  .regex(/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/, 'must be a 15- or 18-character Salesforce id');

const orderLineSchema = z
  .object({
    productCode: z.string().min(1).max(255).nullable(),
    productName: z.string().min(1).max(255),
    // A negative quantity would be a return, which is a different document in an ERP.
    quantity: z.number().positive(),
    unitPrice: z.number(),
  })
  .strict();

/**
 * The body of `POST /orders`. Strict: an unknown field is more likely a mapping mistake in the
 * caller than something the ERP should silently drop.
 */
export const orderRequestSchema = z
  .object({
    opportunityId: salesforceId,
    opportunityName: z.string().min(1).max(255),
    accountId: salesforceId.nullable(),
    accountName: z.string().max(255).nullable(),
    amount: z.number().nullable(),
    closeDate: z.iso.date().nullable(),
    lines: z.array(orderLineSchema).max(1000),
  })
  .strict() satisfies z.ZodType<ErpOrderRequest>;
