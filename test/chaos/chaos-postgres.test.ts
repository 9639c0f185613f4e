import { afterEach, describe, it } from 'vitest';
import { postgresForTests, testSchema, type TestSchema } from '../support/postgres.ts';
import { expectChaosRunPasses } from './chaos-run.ts';

const postgres = await postgresForTests();

describe.skipIf(!postgres.available)('sf-relay chaos on PostgreSQL', () => {
  let schema: TestSchema | undefined;
  afterEach(async () => {
    await schema?.drop();
    schema = undefined;
  });

  it('loses and doubles nothing through 1000 Opportunities, 5 SIGKILLs, ERP and Salesforce faults and a 5 s ERP outage', async () => {
    if (!postgres.available) return;
    schema = testSchema(postgres.url);
    await expectChaosRunPasses(schema.url, { extra: ['--erp-outage', '5'] });
  }, 600_000);

  it('loses and doubles nothing when its own PostgreSQL server is restarted twice mid-run', async () => {
    // A server of the run's own (initdb in the run folder), never the shared one.
    await expectChaosRunPasses(undefined, { count: 150, kills: 0, extra: ['--db-restarts', '2'] });
  }, 600_000);
});
