import type { OrderJson } from '../erp/index.ts';
import type { StateCounts } from '../inbox/index.ts';

/** An Opportunity as the emulator holds it at the end of the run. */
export interface ClosedOpportunity {
  readonly Id: string;
  readonly Order_Number__c: string | null;
}

export interface OutcomeInput {
  /** Every Opportunity the run closed, read back from the emulator. */
  readonly opportunities: readonly ClosedOpportunity[];
  /** How many the run closed (the read-back must find them all). */
  readonly closed: number;
  /** Every order in the ERP. */
  readonly orders: readonly Pick<OrderJson, 'orderNumber' | 'opportunityId'>[];
  /** The relay's inbox by state. */
  readonly inbox: StateCounts;
  /** Notifications still queued (or dropped) in the emulator's outbound queue. */
  readonly emulatorQueued: number;
  readonly emulatorDropped: number;
}

export interface Outcome {
  readonly orders: number;
  /** Opportunities carrying the number of their one ERP order. */
  readonly callbacks: number;
  /** Closed Opportunities without exactly one ERP order whose number is on the record. */
  readonly lost: number;
  /** Closed Opportunities with more than one ERP order. */
  readonly doubled: number;
  /** Human-readable reasons the run is not ok; empty when it is. */
  readonly problems: string[];
}

const SHOW = 5;

/**
 * The verdict, from the ERP's and the emulator's own records rather than from anything the
 * relay says about itself: each closed Opportunity must have exactly one ERP order and that
 * order's number on the record, and no notification may be anywhere but done.
 */
export function verifyOutcome(input: OutcomeInput): Outcome {
  const ordersByOpportunity = new Map<string, string[]>();
  for (const order of input.orders) {
    const numbers = ordersByOpportunity.get(order.opportunityId) ?? [];
    numbers.push(order.orderNumber);
    ordersByOpportunity.set(order.opportunityId, numbers);
  }
  const problems: string[] = [];
  const lostIds: string[] = [];
  const doubledIds: string[] = [];
  let callbacks = 0;
  for (const opportunity of input.opportunities) {
    const numbers = ordersByOpportunity.get(opportunity.Id) ?? [];
    ordersByOpportunity.delete(opportunity.Id);
    if (numbers.length > 1) doubledIds.push(opportunity.Id);
    if (numbers.length === 1 && numbers[0] === opportunity.Order_Number__c) callbacks++;
    else if (numbers.length < 2) lostIds.push(opportunity.Id);
  }
  const missing = Math.max(0, input.closed - input.opportunities.length);
  const lost = lostIds.length + missing;
  if (missing > 0)
    problems.push(`${missing} closed Opportunities are not Closed Won in the emulator`);
  if (lostIds.length > 0)
    problems.push(
      `${lostIds.length} Opportunities lack their one ERP order or its number: ${lostIds.slice(0, SHOW).join(', ')}`,
    );
  if (doubledIds.length > 0)
    problems.push(
      `${doubledIds.length} Opportunities have more than one ERP order: ${doubledIds.slice(0, SHOW).join(', ')}`,
    );
  const strangers = [...ordersByOpportunity.keys()];
  if (strangers.length > 0)
    problems.push(`${strangers.length} ERP orders for Opportunities the run never closed`);
  const { done, ...unfinished } = input.inbox;
  const left = Object.entries(unfinished).filter(([, count]) => count > 0);
  if (left.length > 0)
    problems.push(
      `inbox notifications not done: ${left.map(([state, count]) => `${count} ${state}`).join(', ')}`,
    );
  if (done === 0 && input.closed > 0) problems.push('the inbox holds no finished notification');
  if (input.emulatorQueued > 0)
    problems.push(`${input.emulatorQueued} notifications still queued in the emulator`);
  if (input.emulatorDropped > 0)
    problems.push(`${input.emulatorDropped} notifications dropped by the emulator`);
  return { orders: input.orders.length, callbacks, lost, doubled: doubledIds.length, problems };
}
