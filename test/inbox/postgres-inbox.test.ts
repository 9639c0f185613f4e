import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  InboxSchemaTooNewError,
  InboxUnavailableError,
  migrateInbox,
  openInbox,
  type Inbox,
  type OpenInboxOptions,
} from '../../src/inbox/index.ts';
import {
  POSTGRES_MIGRATIONS,
  POSTGRES_SCHEMA_VERSION,
} from '../../src/inbox/postgres/migrations.ts';
import { postgresForTests, testSchema, withClient, type TestSchema } from '../support/postgres.ts';
import { waitFor } from '../support/wait-for.ts';
import { describeInboxContract } from './inbox-contract.ts';
import { ManualClock } from './manual-clock.ts';
import { opportunityId, opportunityNotification, outboundMessage } from './messages.ts';

const postgres = await postgresForTests();
const ALL_VERSIONS = POSTGRES_MIGRATIONS.map((m) => m.version);

if (!postgres.available) {
  describe('PostgresInbox', () => {
    it.skip(postgres.reason, () => undefined);
  });
} else {
  const baseUrl = postgres.url;
  describeInboxContract('PostgresInbox', async (clock) => {
    const schema = testSchema(baseUrl);
    const inbox = await openInbox(schema.url, { clock });
    return {
      inbox,
      openSibling: () => openInbox(schema.url, { clock }),
      cleanup: async () => {
        await inbox.close();
        await schema.drop();
      },
    };
  });
}

describe.skipIf(!postgres.available)('PostgresInbox on a real server', () => {
  const baseUrl = postgres.available ? postgres.url : '';
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function freshInbox(
    options: OpenInboxOptions = {},
  ): Promise<{ inbox: Inbox; schema: TestSchema }> {
    const schema = testSchema(baseUrl);
    cleanups.push(() => schema.drop());
    const inbox = await openInbox(schema.url, options);
    cleanups.push(() => inbox.close());
    return { inbox, schema };
  }

  it('an unreachable server is an InboxUnavailableError naming the place and the cause, without the password', async () => {
    const error = await openInbox('postgres://relay:hunter2@127.0.0.1:1/relay').catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InboxUnavailableError);
    expect(error).toMatchObject({ storeCode: 'ECONNREFUSED' });
    expect(String(error)).toContain('127.0.0.1:1');
    expect(String(error)).toContain('is PostgreSQL running');
    expect(String(error)).not.toContain('hunter2');
  });

  it('a missing database names the fix', async () => {
    const url = new URL(baseUrl);
    url.pathname = '/sf_relay_no_such_database';
    const error = await openInbox(url.toString()).catch((e: unknown) => e);
    expect(error).toMatchObject({ storeCode: '3D000' });
    expect(String(error)).toContain('does not exist');
  });

  it('refuses a schema migrated by a newer sf-relay, on open and on migrate', async () => {
    const { inbox, schema } = await freshInbox();
    await inbox.close();
    await withClient(baseUrl, (client) =>
      client.query(
        `INSERT INTO ${schema.name}.schema_migrations (version, applied_at) VALUES ($1, now())`,
        [POSTGRES_SCHEMA_VERSION + 1],
      ),
    );
    await expect(openInbox(schema.url)).rejects.toBeInstanceOf(InboxSchemaTooNewError);
    await expect(migrateInbox(schema.url)).rejects.toBeInstanceOf(InboxSchemaTooNewError);
  });

  it('with migrate off, refuses an uncreated schema and points at `sf-relay migrate`; migrate then creates it once', async () => {
    const schema = testSchema(baseUrl);
    cleanups.push(() => schema.drop());
    await expect(openInbox(schema.url, { migrate: false })).rejects.toThrow(/sf-relay migrate/);
    await expect(migrateInbox(schema.url)).resolves.toEqual({
      fromVersion: 0,
      version: POSTGRES_SCHEMA_VERSION,
      applied: ALL_VERSIONS,
    });
    await expect(migrateInbox(schema.url)).resolves.toMatchObject({ applied: [] });
    const inbox = await openInbox(schema.url, { migrate: false });
    cleanups.push(() => inbox.close());
    await expect(inbox.isWritable()).resolves.toBe(true);
  });

  it('processes starting together migrate once', async () => {
    const schema = testSchema(baseUrl);
    cleanups.push(() => schema.drop());
    const results = await Promise.all(Array.from({ length: 4 }, () => migrateInbox(schema.url)));
    expect(results.flatMap((r) => r.applied)).toEqual(ALL_VERSIONS);
  });

  it('a read-only inbox reads, refuses writes and reports itself not writable', async () => {
    const { inbox, schema } = await freshInbox();
    await inbox.store(outboundMessage([opportunityNotification(opportunityId(1))]));
    const reader = await openInbox(schema.url, { readonly: true });
    cleanups.push(() => reader.close());
    await expect(reader.list()).resolves.toHaveLength(1);
    await expect(reader.isWritable()).resolves.toBe(false);
    const error = await reader
      .store(outboundMessage([opportunityNotification(opportunityId(2))]))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InboxUnavailableError);
    expect(error).toMatchObject({ storeCode: '25006' });
  });

  it('wakes a watcher in another process’s store when work is committed, and not for duplicates', async () => {
    const { inbox, schema } = await freshInbox();
    const other = await openInbox(schema.url);
    cleanups.push(() => other.close());
    let wakes = 0;
    const unwatch = other.watchArrivals?.(() => (wakes += 1));
    if (unwatch === undefined) throw new Error('PostgresInbox must support watchArrivals');
    // The first wake is the listener catching up after it connected.
    await waitFor(() => wakes >= 1, 'the LISTEN connection');
    const before = wakes;
    const message = outboundMessage([opportunityNotification(opportunityId(1))]);
    await inbox.store(message);
    await waitFor(() => wakes > before, 'a wake after the commit');
    const afterFirst = wakes;
    await inbox.store(message);
    await inbox.store(outboundMessage([opportunityNotification(opportunityId(2))]));
    await waitFor(() => wakes > afterFirst, 'a wake for the second new message');
    // Notifications are delivered in commit order: had the duplicate notified, we would see two.
    expect(wakes).toBe(afterFirst + 1);
    unwatch();
  });

  it('keeps one record serialised across many concurrent claimers with leases expiring under them', async () => {
    const clock = new ManualClock();
    const { inbox, schema } = await freshInbox({ clock });
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => openInbox(schema.url, { clock })),
    );
    cleanups.push(() => Promise.all(stores.map((s) => s.close())));
    const notifications = Array.from({ length: 120 }, (_, n) =>
      opportunityNotification(opportunityId(n % 12)),
    );
    await inbox.store(outboundMessage(notifications));
    const recordOf = new Map(notifications.map((n) => [n.id, n.sObject?.id ?? '']));
    const done = new Set<string>();
    for (let round = 0; round < 200 && done.size < notifications.length; round += 1) {
      const claims = await Promise.all(
        stores.map((store, n) => store.claim({ owner: `w${n}`, limit: 4, leaseMs: 1000 })),
      );
      const claimed = claims.flatMap((batch, n) =>
        batch.map((message) => ({ message, owner: `w${n}` })),
      );
      const records = claimed.map(({ message }) => recordOf.get(message.id));
      expect(new Set(records).size, `round ${round}: a record leased twice`).toBe(records.length);
      // Half the work finishes; the rest is abandoned and taken over once its lease expires.
      await Promise.all(
        claimed
          .filter((_, n) => n % 2 === 0)
          .map(async ({ message, owner }) => {
            if (await stores[Number(owner.slice(1))]?.complete(message.id, message.leaseToken))
              done.add(message.id);
          }),
      );
      clock.advance(400);
    }
    expect(done.size).toBe(notifications.length);
  });

  it('keeps records serialised between processes whose clocks disagree about what is due', async () => {
    // A's clock says each record's retry is due, B's says not yet: both must still agree on
    // which message of the record goes next, or they would lease the record twice.
    const base = new ManualClock();
    const { inbox, schema } = await freshInbox({ clock: base });
    const ahead = new ManualClock(base.now());
    const behind = new ManualClock(base.now());
    const [a, b] = await Promise.all([
      openInbox(schema.url, { clock: ahead }),
      openInbox(schema.url, { clock: behind }),
    ]);
    cleanups.push(() => Promise.all([a.close(), b.close()]));
    for (let round = 0; round < 8; round += 1) {
      const firsts = Array.from({ length: 25 }, (_, n) =>
        opportunityNotification(opportunityId(round * 100 + n)),
      );
      const seconds = firsts.map((first) => opportunityNotification(first.sObject?.id ?? null));
      await inbox.store(outboundMessage([...firsts, ...seconds]));
      const retryAt = new Date(base.now().getTime() + 1000);
      for (const claimed of await inbox.claim({ owner: 'x', limit: 100, leaseMs: 60_000 }))
        await inbox.fail(claimed.id, 'x', { kind: 'retryable', error: 'later', retryAt });
      ahead.advance(retryAt.getTime() + 1 - ahead.now().getTime());
      behind.advance(retryAt.getTime() - 1 - behind.now().getTime());
      const [byA, byB] = await Promise.all([
        a.claim({ owner: 'a', limit: 100, leaseMs: 60_000 }),
        b.claim({ owner: 'b', limit: 100, leaseMs: 60_000 }),
      ]);
      const records = [...byA, ...byB].map((message) => message.recordId);
      expect(new Set(records).size, `round ${round}`).toBe(records.length);
      for (const message of byA) await a.complete(message.id, 'a');
      for (const message of byB) await b.complete(message.id, 'b');
    }
  });

  it('survives the server ending a session in the middle of a store: the store fails, the process lives on', async () => {
    const { inbox, schema } = await freshInbox();
    const message = outboundMessage([opportunityNotification(opportunityId(1))]);
    const id = message.notifications[0]?.id ?? '';
    await withClient(baseUrl, async (blocker) => {
      // Another transaction inserts the same id and keeps it uncommitted: our store waits on it.
      await blocker.query('BEGIN');
      await blocker.query(`SET LOCAL search_path = ${schema.name}`);
      await blocker.query(
        `INSERT INTO notifications (id, organization_id, action_id, fields, enterprise_url, partner_url,
           received_at, state, attempts_since, updated_at) VALUES ($1, 'o', 'a', '{}', '', '', 0, 'done', 0, 0)`,
        [id],
      );
      const storing = inbox.store(message).catch((e: unknown) => e);
      const pid = await waitFor(async () => {
        const waiting = await blocker.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE application_name = 'sf-relay' AND wait_event_type = 'Lock'`,
        );
        return waiting.rows[0]?.pid;
      }, 'the store to wait on the lock');
      await withClient(baseUrl, (admin) => admin.query('SELECT pg_terminate_backend($1)', [pid]));
      expect(await storing).toBeInstanceOf(InboxUnavailableError);
      await blocker.query('ROLLBACK');
    });
    // The pool replaced the lost connection: the same message now stores.
    await expect(inbox.store(message)).resolves.toMatchObject({ inserted: 1 });
  });

  it('judges leases by the database’s clock: a process whose clock runs an hour ahead cannot take over a live lease', async () => {
    // No clock injected, as in production: every timestamp comes from the server.
    const { inbox, schema } = await freshInbox();
    const skewed = await openInbox(schema.url);
    cleanups.push(() => skewed.close());
    await inbox.store(outboundMessage([opportunityNotification(opportunityId(1))]));
    const [claimed] = await inbox.claim({ owner: 'honest', limit: 1, leaseMs: 60_000 });
    expect(claimed).toBeDefined();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 3_600_000);
      await expect(skewed.claim({ owner: 'skewed', limit: 1, leaseMs: 60_000 })).resolves.toEqual(
        [],
      );
      if (claimed === undefined) return;
      await expect(skewed.renewLease(claimed.id, claimed.leaseToken, 60_000)).resolves.toBe(true);
      // The renewed lease ends a minute from the server's now, not from the skewed process's.
      const renewed = await skewed.get(claimed.id);
      expect(renewed?.leaseExpiresAt?.getTime()).toBeLessThan(Date.now() - 3_000_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a schema name too long for its wake-up channel', async () => {
    await expect(openInbox(`${baseUrl}?schema=${'s'.repeat(49)}`)).rejects.toThrow(/at most 48/);
  });
});
