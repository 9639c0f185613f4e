import type { RecordStore } from './record-store.ts';

/** What line items need: one active product in an active price book with its entry. */
export function seedCatalogue(store: RecordStore): { pricebookId: string; entryId: string } {
  const productId = store.create(
    'Product2',
    { Name: 'Fibre 1 Gbps', ProductCode: 'FIB-1G', IsActive: true },
    null,
  );
  const pricebookId = store.create('Pricebook2', { Name: 'Standard', IsActive: true }, null);
  const entryId = store.create(
    'PricebookEntry',
    { Pricebook2Id: pricebookId, Product2Id: productId, UnitPrice: 49.5, IsActive: true },
    null,
  );
  return { pricebookId, entryId };
}
