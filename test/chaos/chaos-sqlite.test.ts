import { describe, it } from 'vitest';
import { expectChaosRunPasses } from './chaos-run.ts';

describe('sf-relay chaos on SQLite', () => {
  it('loses and doubles nothing through 1000 Opportunities, 5 SIGKILLs, ERP and Salesforce faults', async () => {
    await expectChaosRunPasses();
  }, 600_000);
});
