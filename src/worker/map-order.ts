import type { ErpOrderRequest } from '../erp/index.ts';
import type { OpportunitySnapshot } from '../salesforce/index.ts';

/** The ERP order for a Closed Won Opportunity: one line per OpportunityLineItem. */
export function mapToErpOrder(opportunity: OpportunitySnapshot): ErpOrderRequest {
  return {
    opportunityId: opportunity.id,
    opportunityName: opportunity.name,
    accountId: opportunity.accountId,
    accountName: opportunity.accountName,
    amount: opportunity.amount,
    closeDate: opportunity.closeDate,
    lines: opportunity.lineItems.map((line) => ({
      productCode: line.productCode,
      productName: line.productName ?? line.productCode ?? 'Unnamed product',
      quantity: line.quantity,
      unitPrice:
        line.unitPrice ??
        (line.totalPrice !== null && line.quantity !== 0 ? line.totalPrice / line.quantity : 0),
    })),
  };
}
