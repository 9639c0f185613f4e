import { describe, expect, it } from 'vitest';
import { SalesforcePermanentError, SalesforceRetryableError } from '../../src/salesforce/index.ts';
import { chunkIdsForQuery } from '../../src/salesforce/read-opportunity.ts';
import { toId18 } from '../../src/soap/index.ts';
import {
  clientCredentials,
  createOpportunity,
  makeClient,
  salesforceConfig,
  orgTest,
  targetOf,
  type TestOrg,
} from './salesforce-org.ts';

let org: TestOrg;

orgTest.beforeAll(({ org: started }) => {
  org = started;
});

/** Data API calls the org answered (REST, SOAP, Apex REST; not OAuth token requests). */
function dataApiCalls(): number {
  const { calls } = org.emulator.counters.snapshot();
  return Object.entries(calls)
    .filter(([key]) => !key.startsWith('oauth'))
    .reduce((sum, [, count]) => sum + count, 0);
}

const order = (orderNumber: string) => ({ orderNumber, orderStatus: 'Created' });

describe('batch calls: many records, one Salesforce API call', () => {
  it('reads many Opportunities with their line items by one query; a missing one is null', async () => {
    const client = makeClient(org, salesforceConfig({ oauth: clientCredentials(org) }));
    const ids = [createOpportunity(org, 'One'), createOpportunity(org, 'Two')];
    const gone = createOpportunity(org, 'Gone');
    org.emulator.store.delete('Opportunity', gone, null);
    await client.readOpportunities(targetOf(org), [ids[0] ?? '']); // the token, outside the count
    const before = dataApiCalls();

    const read = await client.readOpportunities(targetOf(org), [...ids, gone]);

    expect(dataApiCalls() - before).toBe(1);
    expect(read.get(gone)).toBeNull();
    for (const id of ids) {
      const snapshot = read.get(id);
      if (snapshot === null || snapshot === undefined || snapshot instanceof Error)
        throw new Error(`expected a snapshot of ${id}, got ${String(snapshot)}`);
      expect(snapshot.lineItems).toHaveLength(2);
    }
    expect(read.get(ids[1] ?? '')).toMatchObject({ name: 'Two', stageName: 'Closed Won' });
  });

  it('splits a long id list into queries that each fit one URL, keeping every id in order', () => {
    const ids = Array.from({ length: 1000 }, (_, n) => toId18(`006${String(n).padStart(12, '0')}`));
    const chunks = chunkIdsForQuery(ids, '60.0');
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.flat()).toEqual(ids);
    expect(chunkIdsForQuery(ids.slice(0, 200), '60.0')).toHaveLength(1);
  });

  it.each(['rest', 'soap', 'apex-rest'] as const)(
    'writes by %s in one call; a record-level error fails that record only, classified as alone',
    async (callback) => {
      const client = makeClient(org, salesforceConfig({ oauth: clientCredentials(org), callback }));
      const holder = createOpportunity(org, 'Holder');
      org.emulator.store.update(
        'Opportunity',
        holder,
        { Order_Number__c: `SO-taken-${callback}` },
        null,
      );
      const [first, clash, last] = [1, 2, 3].map((n) => createOpportunity(org, `Batch ${n}`));
      if (first === undefined || clash === undefined || last === undefined)
        throw new Error('expected three Opportunities');
      await client.readOpportunities(targetOf(org), [first]); // the token, outside the count
      const before = dataApiCalls();

      const written = await client.writeOrderResults(targetOf(org), [
        { opportunityId: first, result: order(`SO-first-${callback}`) },
        // Order_Number__c is unique: this record is refused with DUPLICATE_VALUE.
        { opportunityId: clash, result: order(`SO-taken-${callback}`) },
        { opportunityId: last, result: order(`SO-last-${callback}`) },
      ]);

      expect(dataApiCalls() - before).toBe(1);
      expect(written.get(first)).toBeNull();
      expect(written.get(last)).toBeNull();
      const refused = written.get(clash);
      expect(refused).toBeInstanceOf(SalesforcePermanentError);
      expect(refused).toMatchObject({ code: 'DUPLICATE_VALUE' });
      const numberOf = (id: string) => org.emulator.store.get(id)?.values.get('Order_Number__c');
      expect(numberOf(first)).toBe(`SO-first-${callback}`);
      expect(numberOf(last)).toBe(`SO-last-${callback}`);
      expect(numberOf(clash) ?? null).toBeNull();
    },
  );

  it('fails every record of a call Salesforce refuses as a whole, as a single call would fail', async () => {
    const client = makeClient(org, salesforceConfig({ oauth: clientCredentials(org) }));
    const ids = [createOpportunity(org), createOpportunity(org)];
    await client.readOpportunities(targetOf(org), ids);
    org.emulator.faults.inject('unavailable', 2);

    const read = await client.readOpportunities(targetOf(org), ids);
    const written = await client.writeOrderResults(
      targetOf(org),
      ids.map((opportunityId, n) => ({ opportunityId, result: order(`SO-503-${n}`) })),
    );

    for (const id of ids) {
      expect(read.get(id)).toBeInstanceOf(SalesforceRetryableError);
      expect(written.get(id)).toBeInstanceOf(SalesforceRetryableError);
    }
  });
});
