import { afterEach, describe, expect, it } from 'vitest';
import { POSTGRES_SCHEMA_VERSION } from '../../src/inbox/postgres/migrations.ts';
import { postgresForTests, testSchema, type TestSchema } from '../support/postgres.ts';
import { killRelay, runCli, spawnRelay, type RelayProcess } from '../support/relay-process.ts';

const postgres = await postgresForTests();

// Three spawns of sf-relay in one test: room for a busy machine.
describe.skipIf(!postgres.available)('sf-relay with --db postgres://', { timeout: 120_000 }, () => {
  let schema: TestSchema | undefined;
  let relay: RelayProcess | undefined;
  afterEach(async () => {
    await killRelay(relay);
    await schema?.drop();
    relay = schema = undefined;
  });

  it('migrate creates the schema once; start --no-migrate refuses an uncreated one, then runs on it', async () => {
    if (!postgres.available) return;
    schema = testSchema(postgres.url);
    const env = { SFRELAY_ALLOWED_ORGANIZATION_IDS: '00D5g000004XyZ1EAK' };
    const refused = await runCli(
      ['start', '--port', '0', '--role', 'listener', '--db', schema.url, '--no-migrate'],
      env,
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('sf-relay migrate');

    const first = await runCli(['migrate', '--db', schema.url]);
    expect(first.stdout).toContain(`inbox schema is at version ${POSTGRES_SCHEMA_VERSION}`);
    const second = await runCli(['migrate', '--db', schema.url]);
    expect(second.stdout).toContain('up to date');

    relay = await spawnRelay(['--role', 'listener', '--db', schema.url, '--no-migrate'], env);
    const ready = await fetch(`${relay.url}/readyz`);
    expect(ready.status).toBe(200);
    const listed = await runCli(['messages', '--db', schema.url, '--json']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({ counts: { received: 0 }, messages: [] });
  }, 120_000); // five CLI processes, one after another: slow on a loaded 2-core machine
});
