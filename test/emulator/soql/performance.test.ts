import { describe, expect, it } from 'vitest';
import { runSoql } from '../../../src/emulator/soql/index.ts';
import { newStore } from './org-fixture.ts';

const SOQL =
  "SELECT Id, Name, Amount, Account.Name, (SELECT Id FROM OpportunityLineItems) FROM Opportunity WHERE Amount > 2500 AND Name LIKE 'Deal%' ORDER BY Account.Name, Amount DESC";

function org(opportunities: number) {
  const { store } = newStore();
  const accounts = Array.from({ length: 50 }, (_, i) =>
    store.create('Account', { Name: `Account ${i}` }, null),
  );
  for (let i = 0; i < opportunities; i++) {
    store.create(
      'Opportunity',
      {
        Name: `Deal ${i}`,
        StageName: 'Prospecting',
        CloseDate: '2026-12-01',
        Amount: (i * 7919) % 10_000,
        AccountId: accounts[i % 50],
      },
      null,
    );
  }
  return store;
}

/** Median of five warm runs, so one garbage-collection pause on a busy machine does not decide. */
function medianMs(run: () => void): number {
  run();
  const times = Array.from({ length: 5 }, () => {
    const started = performance.now();
    run();
    return performance.now() - started;
  }).sort((a, b) => a - b);
  return times[2] ?? Number.NaN;
}

describe('performance', () => {
  it('grows linearly, not quadratically, from 1,000 to 10,000 rows with a parent field, subquery and sort', () => {
    const small = org(1_000);
    const large = org(10_000);
    expect(runSoql(large, SOQL).totalSize).toBe(7499);
    // A ratio measured in the same run holds on a noisy machine where absolute times do not:
    // linear work is ~10× (n log n sorting a little more), quadratic work would be ~100×.
    const ratio = medianMs(() => runSoql(large, SOQL)) / medianMs(() => runSoql(small, SOQL));
    expect(ratio).toBeLessThan(35);
  });

  it("answers a query naming its ids (the worker's read-back) at the cost of those records, whatever the org holds", () => {
    const small = org(1_000);
    const large = org(20_000);
    const byIds = (store: ReturnType<typeof org>): string => {
      const ids = [...store.scan('Opportunity')].slice(-200).map((record) => record.id);
      return `SELECT Id, Name, (SELECT Id FROM OpportunityLineItems) FROM Opportunity WHERE Id IN ('${ids.join("','")}')`;
    };
    const smallQuery = byIds(small);
    const largeQuery = byIds(large);
    expect(runSoql(large, largeQuery).totalSize).toBe(200);
    // Same 200 records' work in both: a walk over the object would be ~20× in the large org.
    const ratio =
      medianMs(() => runSoql(large, largeQuery)) / medianMs(() => runSoql(small, smallQuery));
    expect(ratio).toBeLessThan(5);
  });
});
