import { afterEach, describe, expect, it } from 'vitest';
import { InboxUnavailableError, openInbox, type Inbox } from '../../src/inbox/index.ts';
import { postgresForTests, testSchema, withClient, type TestSchema } from '../support/postgres.ts';
import { waitFor } from '../support/wait-for.ts';
import { describeGroupCommitContract } from './group-commit-contract.ts';
import {
  notificationId,
  opportunityId,
  opportunityNotification,
  outboundMessage,
} from './messages.ts';

const postgres = await postgresForTests();

if (postgres.available) {
  const url = postgres.url;
  describeGroupCommitContract('PostgresInbox', async () => {
    const schema = testSchema(url);
    const inbox = await openInbox(schema.url);
    return {
      inbox,
      storedIds: () =>
        withClient(url, async (client) => {
          const result = await client.query<{ id: string }>(
            `SELECT id FROM ${schema.name}.notifications ORDER BY seq`,
          );
          return result.rows.map((row) => row.id);
        }),
      writingTransactions: () =>
        withClient(url, async (client) => {
          const result = await client.query<{ count: string }>(
            `SELECT count(DISTINCT xmin::text) AS count FROM ${schema.name}.notifications`,
          );
          return Number(result.rows[0]?.count);
        }),
      cleanup: async () => {
        await inbox.close();
        await schema.drop();
      },
    };
  });
}

describe.skipIf(!postgres.available)('PostgresInbox group commit on a real server', () => {
  const baseUrl = postgres.available ? postgres.url : '';
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function freshInbox(): Promise<{ inbox: Inbox; schema: TestSchema }> {
    const schema = testSchema(baseUrl);
    cleanups.push(() => schema.drop());
    const inbox = await openInbox(schema.url);
    cleanups.push(() => inbox.close());
    return { inbox, schema };
  }

  /** Stored ids in arrival order, with the transaction that wrote each row. */
  async function storedRows(schema: TestSchema): Promise<{ id: string; xmin: string }[]> {
    return withClient(baseUrl, async (client) => {
      const result = await client.query<{ id: string; xmin: string }>(
        `SELECT id, xmin::text AS xmin FROM ${schema.name}.notifications ORDER BY seq`,
      );
      return result.rows;
    });
  }

  it('when the group’s commit fails, rejects every caller and stores nothing of any of them', async () => {
    const { inbox, schema } = await freshInbox();
    const poisoned = notificationId();
    // A deferred constraint trigger runs at COMMIT: the statement succeeds, the commit fails.
    await withClient(baseUrl, (client) =>
      client.query(`
        CREATE FUNCTION ${schema.name}.refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'injected commit failure'; END $$;
        CREATE CONSTRAINT TRIGGER refuse_one AFTER INSERT ON ${schema.name}.notifications
          DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.id = '${poisoned}')
          EXECUTE FUNCTION ${schema.name}.refuse_at_commit();`),
    );

    const outcomes = await Promise.allSettled([
      inbox.store(outboundMessage([opportunityNotification(opportunityId(1))])),
      inbox.store(outboundMessage([opportunityNotification(opportunityId(2), { id: poisoned })])),
      inbox.store(outboundMessage([opportunityNotification(opportunityId(3))])),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected')
        expect(outcome.reason).toBeInstanceOf(InboxUnavailableError);
    }
    expect(await storedRows(schema)).toEqual([]);
    // The inbox is still usable afterwards.
    await expect(
      inbox.store(outboundMessage([opportunityNotification(opportunityId(4))])),
    ).resolves.toMatchObject({ inserted: 1 });
  });

  it('wakes a watcher in another store after a group commits, with every message of the group visible', async () => {
    const { inbox, schema } = await freshInbox();
    const other = await openInbox(schema.url);
    cleanups.push(() => other.close());
    let wakes = 0;
    const unwatch = other.watchArrivals?.(() => (wakes += 1));
    if (unwatch === undefined) throw new Error('PostgresInbox must support watchArrivals');
    await waitFor(() => wakes >= 1, 'the LISTEN connection');
    const before = wakes;
    const messages = [1, 2, 3].map((n) =>
      outboundMessage([opportunityNotification(opportunityId(n))]),
    );

    const storing = Promise.all(messages.map((m) => inbox.store(m)));
    await waitFor(() => wakes > before, 'a wake after the group commits');
    // The wake comes after the commit: a worker woken now finds every message of the group.
    expect(await other.list()).toHaveLength(3);
    await storing;
    unwatch();
  });
});
