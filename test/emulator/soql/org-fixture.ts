import { RecordStore } from '../../../src/emulator/records/record-store.ts';
import { Schema } from '../../../src/emulator/schema/schema.ts';
import { SalesforceApiError } from '../../../src/emulator/api-error.ts';
import {
  isQueryResult,
  type QueryField,
  type QueryRecord,
  type QueryResult,
} from '../../../src/emulator/soql/index.ts';

/** A store with a clock the test moves, so CreatedDate and date literals are predictable. */
export function newStore(start = new Date('2026-11-20T10:00:00Z')): {
  store: RecordStore;
  clock: { at: Date; now: () => Date };
} {
  const clock = { at: start, now: () => clock.at };
  return { store: new RecordStore(new Schema(), clock), clock };
}

export interface OrderOrg {
  readonly store: RecordStore;
  readonly clock: { at: Date; now: () => Date };
  readonly ownerId: string;
  readonly acme: string;
  readonly globex: string;
  readonly initech: string;
  readonly widget: string;
  readonly gadget: string;
  readonly pricebook: string;
  readonly widgetEntry: string;
  readonly gadgetEntry: string;
  /** Acme's big deal: two line items. */
  readonly bigDeal: string;
  /** Acme's small deal: one line item. */
  readonly smallDeal: string;
  /** Globex's deal: no line items. */
  readonly globexDeal: string;
  /** A deal with no account. */
  readonly orphanDeal: string;
}

/** The order-flow data the emulator serves: accounts, products, a price book, deals and lines. */
export function orderOrg(): OrderOrg {
  const { store, clock } = newStore();
  const ownerId = store.create(
    'User',
    {
      Username: 'ada@example.com',
      FirstName: 'Ada',
      LastName: 'Lovelace',
      Email: 'ada@example.com',
    },
    null,
  );
  const acme = store.create(
    'Account',
    { Name: 'Acme', Industry: 'Technology', BillingCity: 'Berlin', OwnerId: ownerId },
    null,
  );
  const globex = store.create(
    'Account',
    { Name: 'Globex', Industry: 'Retail', BillingCity: "O'Fallon" },
    null,
  );
  const initech = store.create('Account', { Name: 'initech' }, null);
  const widget = store.create(
    'Product2',
    { Name: 'Widget', ProductCode: 'W-1', IsActive: true },
    null,
  );
  const gadget = store.create(
    'Product2',
    { Name: 'Gadget', ProductCode: 'G_1', IsActive: true },
    null,
  );
  const pricebook = store.create('Pricebook2', { Name: 'Standard', IsActive: true }, null);
  const widgetEntry = store.create(
    'PricebookEntry',
    { Pricebook2Id: pricebook, Product2Id: widget, UnitPrice: 10, IsActive: true },
    null,
  );
  const gadgetEntry = store.create(
    'PricebookEntry',
    { Pricebook2Id: pricebook, Product2Id: gadget, UnitPrice: 25, IsActive: true },
    null,
  );
  const deal = (values: Record<string, unknown>): string =>
    store.create(
      'Opportunity',
      { StageName: 'Prospecting', CloseDate: '2026-12-01', Pricebook2Id: pricebook, ...values },
      null,
    );
  const bigDeal = deal({
    Name: 'Big deal',
    AccountId: acme,
    Amount: 5000,
    StageName: 'Closed Won',
    CloseDate: '2026-11-20',
  });
  const smallDeal = deal({
    Name: 'Small deal',
    AccountId: acme,
    Amount: 100,
    CloseDate: '2026-11-19',
  });
  const globexDeal = deal({
    Name: 'Globex deal',
    AccountId: globex,
    Amount: 750,
    CloseDate: '2026-12-24',
  });
  const orphanDeal = deal({ Name: 'Orphan deal', CloseDate: '2027-01-15' });
  store.create(
    'OpportunityLineItem',
    { OpportunityId: bigDeal, PricebookEntryId: widgetEntry, Quantity: 3 },
    null,
  );
  store.create(
    'OpportunityLineItem',
    { OpportunityId: bigDeal, PricebookEntryId: gadgetEntry, Quantity: 1 },
    null,
  );
  store.create(
    'OpportunityLineItem',
    { OpportunityId: smallDeal, PricebookEntryId: widgetEntry, Quantity: 10 },
    null,
  );
  return {
    store,
    clock,
    ownerId,
    acme,
    globex,
    initech,
    widget,
    gadget,
    pricebook,
    widgetEntry,
    gadgetEntry,
    bigDeal,
    smallDeal,
    globexDeal,
    orphanDeal,
  };
}

/** The error a call raised, for asserting its code and message. */
export function apiErrorOf(run: () => unknown): SalesforceApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof SalesforceApiError) return error;
    throw error;
  }
  throw new Error('expected a SalesforceApiError, but the call succeeded');
}

/** A selected field's value, by the name the result gives it. */
export function fieldValue(
  record: QueryRecord | undefined,
  name: string,
): QueryField['value'] | undefined {
  return record?.fields.find((f) => f.name === name)?.value;
}

/** A child subquery's result, or null when the parent has no matching children. */
export function childResult(record: QueryRecord | undefined, name: string): QueryResult | null {
  const value = fieldValue(record, name);
  if (value === null) return null;
  if (value === undefined || !isQueryResult(value))
    throw new Error(`${name} is not a child result`);
  return value;
}
