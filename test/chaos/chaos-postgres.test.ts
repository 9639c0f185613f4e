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

  it('loses and doubles nothing through 1000 Opportunities, 5 SIGKILLs, ERP and Salesforce faults', async () => {
    if (!postgres.available) return;
    schema = testSchema(postgres.url);
    await expectChaosRunPasses(schema.url);
  }, 600_000);
});
