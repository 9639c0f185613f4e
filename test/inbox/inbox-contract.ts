import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/shared/index.ts';
import {
  InboxArgumentError,
  InboxUnavailableError,
  MESSAGE_STATES,
  NotificationConflictError,
  type ClaimedMessage,
  type ClaimOptions,
  type Inbox,
  type InboxMessage,
  type MessageState,
} from '../../src/inbox/index.ts';
import { TRANSITIONS, type Transition } from '../../src/inbox/transitions.ts';
import { ManualClock } from './manual-clock.ts';
import {
  CLAIM,
  COMPLETE,
  EXHAUST,
  FAIL_PERMANENT,
  FAIL_RETRYABLE,
  RELEASE,
  RENEW,
  REPLAY,
} from '../../src/inbox/transitions.ts';
import {
  bareNotification,
  opportunityId,
  opportunityNotification,
  outboundMessage,
} from './messages.ts';

export interface InboxUnderTest {
  readonly inbox: Inbox;
  cleanup(): Promise<void>;
  /**
   * A second store on the same database, as another process would open it. Stores that
   * provide it also run the multi-process tests; the caller of `openSibling` closes it.
   */
  openSibling?(): Promise<Inbox>;
}

export type MakeInbox = (clock: Clock) => Promise<InboxUnderTest>;

const LEASE_MS = 60_000;
const SESSION_ID = '00D000000000001!AQ4AQSecretSessionValueThatMustNeverBeShown';

/** The lease token each owner got for each message, from every claim made through `tracked`. */
const leases = new Map<string, string>();

/** The token `owner`'s latest claim of `id` holds; a token nobody holds if it never claimed it. */
function lease(owner: string, id: string): string {
  return leases.get(`${owner} ${id}`) ?? `${owner}-never-claimed-${id}`;
}

/** The store, with every claim's lease tokens recorded for `lease()`. */
function tracked(target: Inbox): Inbox {
  return new Proxy(target, {
    get(object, property) {
      if (property === 'claim') {
        return async (options: ClaimOptions): Promise<ClaimedMessage[]> => {
          const claimed = await object.claim(options);
          for (const message of claimed)
            leases.set(`${options.owner} ${message.id}`, message.leaseToken);
          return claimed;
        };
      }
      const value: unknown = Reflect.get(object, property, object);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

function ids(messages: readonly { id: string }[]): string[] {
  return messages.map((message) => message.id);
}

async function mustGet(inbox: Inbox, id: string): Promise<InboxMessage> {
  const message = await inbox.get(id);
  if (message === null) throw new Error(`expected ${id} to be stored`);
  return message;
}

async function claimOne(inbox: Inbox, owner: string): Promise<ClaimedMessage> {
  const [claimed, ...rest] = await inbox.claim({ owner, limit: 1, leaseMs: LEASE_MS });
  if (claimed === undefined || rest.length > 0)
    throw new Error(`expected ${owner} to claim exactly one message`);
  return claimed;
}

/**
 * The behaviour every `Inbox` store must have. Run it once per store with a factory that
 * creates an empty store on a real database and uses the given clock for every timestamp.
 */
export function describeInboxContract(name: string, makeInbox: MakeInbox): void {
  describe(`${name} — Inbox contract`, () => {
    let clock: ManualClock;
    let subject: InboxUnderTest;
    let inbox: Inbox;

    beforeEach(async () => {
      clock = new ManualClock();
      subject = await makeInbox(clock);
      leases.clear();
      inbox = tracked(subject.inbox);
    });

    afterEach(async () => {
      await subject.cleanup();
    });

    describe('store', () => {
      it('stores every notification as received, due at once, with no attempts', async () => {
        const message = outboundMessage([
          opportunityNotification(opportunityId(1)),
          opportunityNotification(opportunityId(2)),
        ]);
        const now = clock.now();

        await expect(inbox.store(message)).resolves.toEqual({
          received: 2,
          inserted: 2,
          duplicates: 0,
          held: 0,
          unusualDuplicates: [],
        });

        for (const notification of message.notifications) {
          const stored = await mustGet(inbox, notification.id);
          expect(stored).toMatchObject({
            id: notification.id,
            organizationId: message.organizationId,
            actionId: message.actionId,
            enterpriseUrl: message.enterpriseUrl,
            partnerUrl: message.partnerUrl,
            state: 'received',
            attempts: 0,
            hasSessionId: false,
            leaseOwner: null,
            leaseExpiresAt: null,
            lastError: null,
            completedAt: null,
          });
          expect(stored.receivedAt).toEqual(now);
          expect(stored.nextAttemptAt).toEqual(now);
          expect(stored.updatedAt).toEqual(now);
        }
      });

      it('keeps fields, object type and record id as sent, nil fields as null, and a missing sObject as nulls', async () => {
        const withFields = opportunityNotification(opportunityId(1), {
          fields: { StageName: 'Closed Won', Amount: '1200.50', Description: null },
        });
        const withoutId = opportunityNotification(null);
        const bare = bareNotification();
        await inbox.store(outboundMessage([withFields, withoutId, bare]));

        expect(await mustGet(inbox, withFields.id)).toMatchObject({
          objectType: 'Opportunity',
          recordId: opportunityId(1),
          fields: { StageName: 'Closed Won', Amount: '1200.50', Description: null },
        });
        expect(await mustGet(inbox, withoutId.id)).toMatchObject({
          objectType: 'Opportunity',
          recordId: null,
        });
        expect(await mustGet(inbox, bare.id)).toMatchObject({
          objectType: null,
          recordId: null,
          fields: {},
        });
      });

      it('storing the same message twice keeps one row per notification and counts the duplicates', async () => {
        const message = outboundMessage([
          opportunityNotification(opportunityId(1)),
          opportunityNotification(opportunityId(2)),
          opportunityNotification(opportunityId(3)),
        ]);

        await expect(inbox.store(message)).resolves.toEqual({
          received: 3,
          inserted: 3,
          duplicates: 0,
          held: 0,
          unusualDuplicates: [],
        });
        await expect(inbox.store(message)).resolves.toEqual({
          received: 3,
          inserted: 0,
          duplicates: 3,
          held: 0,
          unusualDuplicates: message.notifications.map((n) => ({
            id: n.id,
            state: 'received',
            differingFields: [],
          })),
        });

        expect(await inbox.list()).toHaveLength(3);
      });

      it('a notification id repeated inside one message is stored once and counted as a duplicate', async () => {
        const first = opportunityNotification(opportunityId(1));
        const repeated = opportunityNotification(opportunityId(1), {
          id: first.id,
          fields: { StageName: 'Other' },
        });

        await expect(inbox.store(outboundMessage([first, repeated]))).resolves.toEqual({
          received: 2,
          inserted: 1,
          duplicates: 1,
          held: 0,
          unusualDuplicates: [{ id: first.id, state: 'received', differingFields: ['StageName'] }],
        });

        expect((await mustGet(inbox, first.id)).fields).toEqual({ StageName: 'Closed Won' });
        expect(await inbox.list()).toHaveLength(1);
      });

      it('a redelivery leaves already stored notifications untouched and inserts only the new ones', async () => {
        const known = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([known]));
        const claimed = await claimOne(inbox, 'worker-a');
        clock.advance(1000);

        const fresh = opportunityNotification(opportunityId(2));
        await expect(inbox.store(outboundMessage([known, fresh]))).resolves.toEqual({
          received: 2,
          inserted: 1,
          duplicates: 1,
          held: 0,
          unusualDuplicates: [{ id: known.id, state: 'processing', differingFields: [] }],
        });

        expect(await mustGet(inbox, known.id)).toMatchObject({
          state: 'processing',
          leaseOwner: 'worker-a',
          attempts: 1,
        });
        expect((await mustGet(inbox, known.id)).updatedAt).toEqual(claimed.updatedAt);
        expect(await mustGet(inbox, fresh.id)).toMatchObject({ state: 'received' });
      });

      it('refuses a message reusing a stored id for another record, action or org, storing nothing of it', async () => {
        const stored = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([stored]));
        const fresh = opportunityNotification(opportunityId(2));
        const forgeries = [
          outboundMessage([fresh, opportunityNotification(opportunityId(3), { id: stored.id })]),
          { ...outboundMessage([fresh, stored]), actionId: '04k000000000009AAA' },
          { ...outboundMessage([fresh, stored]), organizationId: '00D000000000009AAA' },
        ];
        for (const forgery of forgeries) {
          await expect(inbox.store(forgery)).rejects.toBeInstanceOf(NotificationConflictError);
        }
        expect(await inbox.get(fresh.id)).toBeNull();
        expect((await inbox.countByState()).received).toBe(1);
      });

      it('takes the 15-character form of a stored id’s record as the same notification', async () => {
        const stored = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([stored]));
        const short = opportunityNotification(opportunityId(1).slice(0, 15), { id: stored.id });
        await expect(inbox.store(outboundMessage([short]))).resolves.toEqual({
          received: 1,
          inserted: 0,
          duplicates: 1,
          held: 0,
          unusualDuplicates: [{ id: stored.id, state: 'received', differingFields: [] }],
        });
      });

      it('an empty message stores nothing', async () => {
        await expect(inbox.store(outboundMessage([]))).resolves.toEqual({
          received: 0,
          inserted: 0,
          duplicates: 0,
          held: 0,
          unusualDuplicates: [],
        });
        expect(await inbox.list()).toEqual([]);
      });
    });

    describe('claim', () => {
      it('claims the oldest due messages first, up to the limit', async () => {
        const stored: string[] = [];
        for (let n = 1; n <= 4; n += 1) {
          const notification = opportunityNotification(opportunityId(n));
          await inbox.store(outboundMessage([notification]));
          stored.push(notification.id);
          clock.advance(1000);
        }

        const first = await inbox.claim({ owner: 'worker-a', limit: 3, leaseMs: LEASE_MS });
        const second = await inbox.claim({ owner: 'worker-a', limit: 3, leaseMs: LEASE_MS });

        expect(ids(first)).toEqual(stored.slice(0, 3));
        expect(ids(second)).toEqual(stored.slice(3));
      });

      it('orders messages due at the same moment by arrival', async () => {
        const message = outboundMessage(
          [1, 2, 3].map((n) => opportunityNotification(opportunityId(n))),
        );
        await inbox.store(message);

        const claimed = await inbox.claim({ owner: 'worker-a', limit: 10, leaseMs: LEASE_MS });

        expect(ids(claimed)).toEqual(ids(message.notifications));
      });

      it('marks a claimed message processing under the owner’s lease and counts the attempt', async () => {
        const notification = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([notification]));
        clock.advance(500);
        const now = clock.now();

        const claimed = await claimOne(inbox, 'worker-a');

        const leaseExpiresAt = new Date(now.getTime() + LEASE_MS);
        expect(claimed).toMatchObject({
          id: notification.id,
          state: 'processing',
          leaseOwner: 'worker-a',
          attempts: 1,
        });
        expect(claimed.leaseExpiresAt).toEqual(leaseExpiresAt);
        expect(claimed.updatedAt).toEqual(now);
        const stored = await mustGet(inbox, notification.id);
        expect(stored).toMatchObject({ state: 'processing', leaseOwner: 'worker-a', attempts: 1 });
        expect(stored.leaseExpiresAt).toEqual(leaseExpiresAt);
      });

      it('hands the SessionId to the claiming worker', async () => {
        const withSession = opportunityNotification(opportunityId(1));
        const withoutSession = opportunityNotification(opportunityId(2));
        await inbox.store(outboundMessage([withSession], { sessionId: SESSION_ID }));
        await inbox.store(outboundMessage([withoutSession]));

        const claimed = await inbox.claim({ owner: 'worker-a', limit: 10, leaseMs: LEASE_MS });

        expect(claimed.map((m) => [m.id, m.sessionId, m.hasSessionId])).toEqual([
          [withSession.id, SESSION_ID, true],
          [withoutSession.id, null, false],
        ]);
      });

      it('claims at most one message per record, the oldest', async () => {
        const older = opportunityNotification(opportunityId(1));
        const newer = opportunityNotification(opportunityId(1));
        const other = opportunityNotification(opportunityId(2));
        await inbox.store(outboundMessage([older, newer, other]));

        const claimed = await inbox.claim({ owner: 'worker-a', limit: 10, leaseMs: LEASE_MS });

        expect(ids(claimed)).toEqual([older.id, other.id]);
        expect(await mustGet(inbox, newer.id)).toMatchObject({ state: 'received', attempts: 0 });
      });

      it('does not claim a record while another message of it is under a live lease', async () => {
        const first = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([first]));
        await claimOne(inbox, 'worker-a');
        const second = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([second]));
        clock.advance(LEASE_MS - 1);

        await expect(
          inbox.claim({ owner: 'worker-b', limit: 10, leaseMs: LEASE_MS }),
        ).resolves.toEqual([]);
      });

      it('releases the record to its next message once the leased one completes', async () => {
        const first = opportunityNotification(opportunityId(1));
        const second = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([first, second]));
        await claimOne(inbox, 'worker-a');

        await expect(inbox.complete(first.id, lease('worker-a', first.id))).resolves.toBe(true);

        expect((await claimOne(inbox, 'worker-b')).id).toBe(second.id);
      });

      it('keeps a record serialised while its leased message waits for a retry', async () => {
        const first = opportunityNotification(opportunityId(1));
        const second = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([first, second]));
        await claimOne(inbox, 'worker-a');
        await inbox.fail(first.id, lease('worker-a', first.id), {
          kind: 'retryable',
          error: 'ERP down',
          retryAt: new Date(clock.now().getTime() + 5000),
        });

        // The record is no longer leased, so its next message may go ahead of the retry.
        expect((await claimOne(inbox, 'worker-b')).id).toBe(second.id);
        clock.advance(5000);
        // The retry is due, but the record is leased again by worker-b.
        await expect(
          inbox.claim({ owner: 'worker-c', limit: 10, leaseMs: LEASE_MS }),
        ).resolves.toEqual([]);
      });

      it('does not serialise messages that carry no record', async () => {
        const bare = [bareNotification(), bareNotification()];
        const withoutId = [opportunityNotification(null), opportunityNotification(null)];
        await inbox.store(outboundMessage([...bare, ...withoutId]));

        const claimed = await inbox.claim({ owner: 'worker-a', limit: 10, leaseMs: LEASE_MS });

        expect(ids(claimed)).toEqual([...ids(bare), ...ids(withoutId)]);
      });

      it('claims nothing when nothing is due, or when the limit is 0', async () => {
        await expect(
          inbox.claim({ owner: 'worker-a', limit: 10, leaseMs: LEASE_MS }),
        ).resolves.toEqual([]);
        await inbox.store(outboundMessage([opportunityNotification(opportunityId(1))]));

        await expect(
          inbox.claim({ owner: 'worker-a', limit: 0, leaseMs: LEASE_MS }),
        ).resolves.toEqual([]);
        expect((await inbox.countByState()).received).toBe(1);
      });

      it('does not hand out a message under a live lease to another worker', async () => {
        await inbox.store(outboundMessage([opportunityNotification(opportunityId(1))]));
        await claimOne(inbox, 'worker-a');
        clock.advance(LEASE_MS - 1);

        await expect(
          inbox.claim({ owner: 'worker-b', limit: 10, leaseMs: LEASE_MS }),
        ).resolves.toEqual([]);
      });

      it('lets another worker take over a message whose lease expired, and the first owner can no longer finish it', async () => {
        const notification = opportunityNotification(opportunityId(1), {});
        await inbox.store(outboundMessage([notification], { sessionId: SESSION_ID }));
        await claimOne(inbox, 'worker-a');
        clock.advance(LEASE_MS);

        const takenOver = await claimOne(inbox, 'worker-b');

        expect(takenOver).toMatchObject({
          id: notification.id,
          leaseOwner: 'worker-b',
          attempts: 2,
          sessionId: SESSION_ID,
        });
        await expect(
          inbox.complete(notification.id, lease('worker-a', notification.id)),
        ).resolves.toBe(false);
        await expect(
          inbox.fail(notification.id, lease('worker-a', notification.id), {
            kind: 'permanent',
            error: 'late',
          }),
        ).resolves.toBe(false);
        expect(await mustGet(inbox, notification.id)).toMatchObject({
          state: 'processing',
          leaseOwner: 'worker-b',
        });
        await expect(
          inbox.complete(notification.id, lease('worker-b', notification.id)),
        ).resolves.toBe(true);
      });

      it('does not claim a retry_wait message before its retry time, and claims it from then on', async () => {
        const notification = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([notification]));
        await claimOne(inbox, 'worker-a');
        const retryAt = new Date(clock.now().getTime() + 30_000);
        await inbox.fail(notification.id, lease('worker-a', notification.id), {
          kind: 'retryable',
          error: 'ERP timeout',
          retryAt,
        });

        clock.advance(29_999);
        await expect(
          inbox.claim({ owner: 'worker-b', limit: 10, leaseMs: LEASE_MS }),
        ).resolves.toEqual([]);
        clock.advance(1);
        expect(await claimOne(inbox, 'worker-b')).toMatchObject({
          id: notification.id,
          attempts: 2,
          lastError: 'ERP timeout',
        });
      });

      it('claims by due time rather than arrival: an earlier retry goes first, then older arrivals', async () => {
        const late = opportunityNotification(opportunityId(1));
        const early = opportunityNotification(opportunityId(2));
        await inbox.store(outboundMessage([late, early]));
        await inbox.claim({ owner: 'worker-a', limit: 2, leaseMs: LEASE_MS });
        const now = clock.now().getTime();
        await inbox.fail(late.id, lease('worker-a', late.id), {
          kind: 'retryable',
          error: 'x',
          retryAt: new Date(now + 2000),
        });
        await inbox.fail(early.id, lease('worker-a', early.id), {
          kind: 'retryable',
          error: 'x',
          retryAt: new Date(now + 1000),
        });
        clock.advance(1500);
        const fresh = opportunityNotification(opportunityId(3));
        await inbox.store(outboundMessage([fresh]));
        clock.advance(1000);

        const claimed = await inbox.claim({ owner: 'worker-b', limit: 10, leaseMs: LEASE_MS });

        expect(ids(claimed)).toEqual([early.id, fresh.id, late.id]);
      });

      it('counts every claim as an attempt, including a takeover after a lease expired', async () => {
        const notification = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([notification]));

        await claimOne(inbox, 'worker-a');
        await inbox.fail(notification.id, lease('worker-a', notification.id), {
          kind: 'retryable',
          error: 'x',
          retryAt: clock.now(),
        });
        await claimOne(inbox, 'worker-b');
        clock.advance(LEASE_MS);
        await claimOne(inbox, 'worker-c');

        expect((await mustGet(inbox, notification.id)).attempts).toBe(3);
      });

      it('rejects an empty owner, a negative or fractional limit and a non-positive lease', async () => {
        for (const options of [
          { owner: '', limit: 1, leaseMs: LEASE_MS },
          { owner: 'worker-a', limit: -1, leaseMs: LEASE_MS },
          { owner: 'worker-a', limit: 1.5, leaseMs: LEASE_MS },
          { owner: 'worker-a', limit: Number.NaN, leaseMs: LEASE_MS },
          { owner: 'worker-a', limit: 1, leaseMs: 0 },
          { owner: 'worker-a', limit: 1, leaseMs: Number.POSITIVE_INFINITY },
        ]) {
          await expect(inbox.claim(options), JSON.stringify(options)).rejects.toBeInstanceOf(
            InboxArgumentError,
          );
        }
      });
    });

    describe('leases: fencing tokens, renewal, release, the attempt cap', () => {
      it('gives every claim its own token: a re-claim of the same message by the same owner fences the first', async () => {
        const notification = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([notification]));
        const first = await claimOne(inbox, 'worker-a');
        clock.advance(LEASE_MS);
        const second = await claimOne(inbox, 'worker-a');

        expect(second.leaseToken).not.toBe(first.leaseToken);
        await expect(inbox.renewLease(notification.id, first.leaseToken, LEASE_MS)).resolves.toBe(
          false,
        );
        await expect(inbox.complete(notification.id, first.leaseToken)).resolves.toBe(false);
        await expect(inbox.release(notification.id, first.leaseToken)).resolves.toBe(false);
        await expect(inbox.complete(notification.id, second.leaseToken)).resolves.toBe(true);
      });

      it('renewing keeps a slow worker’s message from being taken over', async () => {
        const notification = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([notification]));
        const claimed = await claimOne(inbox, 'worker-a');
        for (let beat = 0; beat < 5; beat += 1) {
          clock.advance(LEASE_MS / 2);
          await expect(
            inbox.renewLease(notification.id, claimed.leaseToken, LEASE_MS),
          ).resolves.toBe(true);
          await expect(
            inbox.claim({ owner: 'worker-b', limit: 10, leaseMs: LEASE_MS }),
          ).resolves.toEqual([]);
        }
        expect((await mustGet(inbox, notification.id)).leaseExpiresAt).toEqual(
          new Date(clock.now().getTime() + LEASE_MS),
        );
        clock.advance(LEASE_MS);
        expect((await claimOne(inbox, 'worker-b')).attempts).toBe(2);
      });

      it('release hands a message back due now and gives the claim’s attempt back', async () => {
        const notification = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([notification]));
        const claimed = await claimOne(inbox, 'worker-a');

        await expect(inbox.release(notification.id, claimed.leaseToken)).resolves.toBe(true);

        expect(await mustGet(inbox, notification.id)).toMatchObject({
          state: 'retry_wait',
          attempts: 0,
          leaseOwner: null,
          nextAttemptAt: clock.now(),
        });
        expect((await claimOne(inbox, 'worker-b')).attempts).toBe(1);
      });

      it('a message that used up its attempts is dead at its next claim, not claimed again (poison)', async () => {
        const poison = opportunityNotification(opportunityId(1));
        const healthy = opportunityNotification(opportunityId(2));
        await inbox.store(outboundMessage([poison]));
        // Claimed three times, never finished: its worker crashed each time.
        for (let crash = 0; crash < 3; crash += 1) {
          await inbox.claim({
            owner: `worker-${crash}`,
            limit: 1,
            leaseMs: LEASE_MS,
            maxAttempts: 3,
          });
          clock.advance(LEASE_MS);
        }
        await inbox.store(outboundMessage([healthy]));

        const claimed = await inbox.claim({
          owner: 'worker-x',
          limit: 10,
          leaseMs: LEASE_MS,
          maxAttempts: 3,
        });

        expect(ids(claimed)).toEqual([healthy.id]);
        const dead = await mustGet(inbox, poison.id);
        expect(dead).toMatchObject({
          state: 'dead',
          attempts: 3,
          leaseOwner: null,
          completedAt: clock.now(),
        });
        expect(dead.lastError).toMatch(
          /^ATTEMPTS_EXHAUSTED: claimed 3 times .*crashed or hung every time/,
        );
      });

      it('rejects a maxAttempts below 1 or not whole', async () => {
        for (const maxAttempts of [0, 1.5, Number.NaN]) {
          await expect(
            inbox.claim({ owner: 'worker-a', limit: 1, leaseMs: LEASE_MS, maxAttempts }),
          ).rejects.toBeInstanceOf(InboxArgumentError);
        }
      });
    });

    describe('purge and retention', () => {
      it('deletes only done, dead or held rows last changed before the cut-off, and counts on a dry run', async () => {
        const [done, dead, held, live] = [1, 2, 3, 4].map((n) =>
          opportunityNotification(opportunityId(n)),
        );
        if (!done || !dead || !held || !live) throw new Error('expected four notifications');
        await inbox.store(outboundMessage([done, dead, live]));
        await inbox.store(outboundMessage([held]), { hold: new Map([[held.id, 'x']]) });
        const claimed = await inbox.claim({ owner: 'worker-a', limit: 2, leaseMs: LEASE_MS });
        expect(ids(claimed)).toEqual([done.id, dead.id]);
        await inbox.complete(done.id, lease('worker-a', done.id));
        await inbox.fail(dead.id, lease('worker-a', dead.id), { kind: 'permanent', error: 'x' });
        clock.advance(1000);
        const cutOff = clock.now();
        clock.advance(1000);

        await expect(
          inbox.purge({ states: ['done', 'dead', 'held'], before: cutOff, dryRun: true }),
        ).resolves.toBe(3);
        expect(await inbox.list()).toHaveLength(4);
        await expect(inbox.purge({ states: ['done'], before: cutOff, limit: 10 })).resolves.toBe(1);
        await expect(inbox.purge({ states: ['dead', 'held'], before: cutOff })).resolves.toBe(2);
        expect(ids(await inbox.list())).toEqual([live.id]);
        // A cut-off before the rows changed deletes nothing.
        await expect(inbox.purge({ states: ['done'], before: new Date(0) })).resolves.toBe(0);
      });

      it('refuses to purge live states, and an invalid cut-off or limit', async () => {
        const live = ['received', 'processing', 'retry_wait'];
        for (const state of live) {
          await expect(
            inbox.purge({ states: [state as 'done'], before: clock.now() }),
          ).rejects.toBeInstanceOf(InboxArgumentError);
        }
        await expect(
          inbox.purge({ states: ['done'], before: new Date(Number.NaN) }),
        ).rejects.toBeInstanceOf(InboxArgumentError);
        await expect(
          inbox.purge({ states: ['done'], before: clock.now(), limit: 0 }),
        ).rejects.toBeInstanceOf(InboxArgumentError);
      });
    });

    describe('complete', () => {
      it('marks the lease owner’s message done, records when, and drops the lease and the SessionId', async () => {
        const notification = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([notification], { sessionId: SESSION_ID }));
        await claimOne(inbox, 'worker-a');
        clock.advance(250);
        const now = clock.now();

        await expect(
          inbox.complete(notification.id, lease('worker-a', notification.id)),
        ).resolves.toBe(true);

        const done = await mustGet(inbox, notification.id);
        expect(done).toMatchObject({
          state: 'done',
          leaseOwner: null,
          leaseExpiresAt: null,
          nextAttemptAt: null,
          hasSessionId: false,
          attempts: 1,
        });
        expect(done.completedAt).toEqual(now);
        expect(done.updatedAt).toEqual(now);
      });

      it('refuses another worker and changes nothing', async () => {
        const notification = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([notification]));
        await claimOne(inbox, 'worker-a');
        const before = await mustGet(inbox, notification.id);

        await expect(
          inbox.complete(notification.id, lease('worker-b', notification.id)),
        ).resolves.toBe(false);

        expect(await mustGet(inbox, notification.id)).toEqual(before);
      });

      it('returns false for an unknown, unclaimed or already finished message', async () => {
        const notification = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([notification]));

        await expect(inbox.complete('04l000000000000XXX', 'worker-a')).resolves.toBe(false);
        await expect(
          inbox.complete(notification.id, lease('worker-a', notification.id)),
        ).resolves.toBe(false);
        await claimOne(inbox, 'worker-a');
        await expect(
          inbox.complete(notification.id, lease('worker-a', notification.id)),
        ).resolves.toBe(true);
        await expect(
          inbox.complete(notification.id, lease('worker-a', notification.id)),
        ).resolves.toBe(false);
      });
    });

    describe('fail', () => {
      it('a retryable failure waits until retryAt, keeps the SessionId and records the error', async () => {
        const notification = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([notification], { sessionId: SESSION_ID }));
        await claimOne(inbox, 'worker-a');
        const retryAt = new Date(clock.now().getTime() + 45_000);

        await expect(
          inbox.fail(notification.id, lease('worker-a', notification.id), {
            kind: 'retryable',
            error: 'ERP answered 503',
            retryAt,
          }),
        ).resolves.toBe(true);

        const waiting = await mustGet(inbox, notification.id);
        expect(waiting).toMatchObject({
          state: 'retry_wait',
          lastError: 'ERP answered 503',
          leaseOwner: null,
          leaseExpiresAt: null,
          completedAt: null,
          hasSessionId: true,
        });
        expect(waiting.nextAttemptAt).toEqual(retryAt);
      });

      it('a permanent failure makes the message dead and drops the SessionId', async () => {
        const notification = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([notification], { sessionId: SESSION_ID }));
        await claimOne(inbox, 'worker-a');
        const now = clock.now();

        await expect(
          inbox.fail(notification.id, lease('worker-a', notification.id), {
            kind: 'permanent',
            error: 'INVALID_FIELD: Amount',
          }),
        ).resolves.toBe(true);

        const dead = await mustGet(inbox, notification.id);
        expect(dead).toMatchObject({
          state: 'dead',
          lastError: 'INVALID_FIELD: Amount',
          leaseOwner: null,
          leaseExpiresAt: null,
          nextAttemptAt: null,
          hasSessionId: false,
        });
        expect(dead.completedAt).toEqual(now);
        await expect(
          inbox.claim({ owner: 'worker-b', limit: 10, leaseMs: LEASE_MS }),
        ).resolves.toEqual([]);
      });

      it('refuses another worker, and a message that is not being processed, changing nothing', async () => {
        const notification = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([notification]));
        const permanent = { kind: 'permanent', error: 'no' } as const;

        await expect(
          inbox.fail(notification.id, lease('worker-a', notification.id), permanent),
        ).resolves.toBe(false);
        await claimOne(inbox, 'worker-a');
        const before = await mustGet(inbox, notification.id);
        await expect(
          inbox.fail(notification.id, lease('worker-b', notification.id), permanent),
        ).resolves.toBe(false);
        await expect(
          inbox.fail(notification.id, lease('worker-b', notification.id), {
            kind: 'retryable',
            error: 'no',
            retryAt: clock.now(),
          }),
        ).resolves.toBe(false);

        expect(await mustGet(inbox, notification.id)).toEqual(before);
      });

      it('rejects a retryable failure without a valid retryAt', async () => {
        const notification = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([notification]));
        await claimOne(inbox, 'worker-a');

        await expect(
          inbox.fail(notification.id, lease('worker-a', notification.id), {
            kind: 'retryable',
            error: 'x',
            retryAt: new Date(Number.NaN),
          }),
        ).rejects.toBeInstanceOf(InboxArgumentError);
        expect((await mustGet(inbox, notification.id)).state).toBe('processing');
      });
    });

    describe('replay', () => {
      async function killOne(recordNumber: number, error = 'permanent'): Promise<string> {
        const notification = opportunityNotification(opportunityId(recordNumber));
        await inbox.store(outboundMessage([notification]));
        const claimed = await claimOne(inbox, 'worker-a');
        await inbox.fail(claimed.id, lease('worker-a', claimed.id), { kind: 'permanent', error });
        return notification.id;
      }

      it('makes a dead message received and due now with a fresh budget, keeping its last error', async () => {
        const id = await killOne(1, 'INVALID_SESSION_ID');
        const receivedAt = (await mustGet(inbox, id)).receivedAt;
        clock.advance(3_600_000);
        const now = clock.now();

        await expect(inbox.replay(id)).resolves.toBe(true);

        const replayed = await mustGet(inbox, id);
        expect(replayed).toMatchObject({
          state: 'received',
          lastError: 'INVALID_SESSION_ID',
          leaseOwner: null,
          leaseExpiresAt: null,
          completedAt: null,
          // A fresh budget: attempts and the age limit count from the replay…
          attempts: 0,
          attemptsSince: now,
          // …while the arrival time stays what Salesforce sent.
          receivedAt,
        });
        expect(replayed.nextAttemptAt).toEqual(now);
        expect(replayed.updatedAt).toEqual(now);
        expect(await claimOne(inbox, 'worker-b')).toMatchObject({ id, attempts: 1 });
      });

      it('a held notification is stored and acked but never claimed, and a replay sends it to the worker', async () => {
        const held = opportunityNotification(opportunityId(1));
        const fine = opportunityNotification(opportunityId(2));
        const reason = 'CONTRACT_MISMATCH: field Amount is nil, but the WSDL does not allow nil';

        await expect(
          inbox.store(outboundMessage([held, fine]), { hold: new Map([[held.id, reason]]) }),
        ).resolves.toMatchObject({ received: 2, inserted: 2, held: 1 });

        expect(await mustGet(inbox, held.id)).toMatchObject({
          state: 'held',
          lastError: reason,
          nextAttemptAt: null,
          attempts: 0,
        });
        clock.advance(10 * LEASE_MS);
        expect(ids(await inbox.claim({ owner: 'worker-a', limit: 10, leaseMs: LEASE_MS }))).toEqual(
          [fine.id],
        );
        await expect(inbox.replayAll('held')).resolves.toBe(1);
        expect(await claimOne(inbox, 'worker-b')).toMatchObject({ id: held.id, attempts: 1 });
      });

      it('a redelivery of a held notification stays held (the stored one is kept)', async () => {
        const held = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([held]), { hold: new Map([[held.id, 'x']]) });
        await expect(inbox.store(outboundMessage([held]))).resolves.toMatchObject({
          inserted: 0,
          duplicates: 1,
          unusualDuplicates: [{ id: held.id, state: 'held', differingFields: [] }],
        });
        expect((await mustGet(inbox, held.id)).state).toBe('held');
      });

      it('reports a finished duplicate only when its fields differ', async () => {
        const notification = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([notification]));
        const claimed = await claimOne(inbox, 'worker-a');
        await inbox.complete(claimed.id, claimed.leaseToken);

        await expect(inbox.store(outboundMessage([notification]))).resolves.toMatchObject({
          unusualDuplicates: [],
        });
        const changed = {
          ...notification,
          sObject: notification.sObject && {
            ...notification.sObject,
            fields: { StageName: 'Closed Lost' },
          },
        };
        await expect(inbox.store(outboundMessage([changed]))).resolves.toMatchObject({
          unusualDuplicates: [
            { id: notification.id, state: 'done', differingFields: ['StageName'] },
          ],
        });
      });

      it('refuses messages that are not dead or held, and unknown ones', async () => {
        const received = opportunityNotification(opportunityId(1));
        const processing = opportunityNotification(opportunityId(2));
        const waiting = opportunityNotification(opportunityId(3));
        const done = opportunityNotification(opportunityId(4));
        await inbox.store(outboundMessage([processing, waiting, done]));
        await inbox.claim({ owner: 'worker-a', limit: 3, leaseMs: LEASE_MS });
        await inbox.fail(waiting.id, lease('worker-a', waiting.id), {
          kind: 'retryable',
          error: 'x',
          retryAt: new Date(clock.now().getTime() + 1000),
        });
        await inbox.complete(done.id, lease('worker-a', done.id));
        await inbox.store(outboundMessage([received]));

        for (const id of [received.id, processing.id, waiting.id, done.id, '04l000000000000XXX']) {
          await expect(inbox.replay(id), id).resolves.toBe(false);
        }
        expect(await inbox.countByState()).toEqual({
          received: 1,
          processing: 1,
          retry_wait: 1,
          done: 1,
          dead: 0,
          held: 0,
        });
      });

      it('replayDead replays every dead message and returns how many', async () => {
        const dead = [await killOne(1), await killOne(2), await killOne(3)];
        await inbox.store(outboundMessage([opportunityNotification(opportunityId(4))]));

        await expect(inbox.replayAll()).resolves.toBe(3);

        for (const id of dead) expect((await mustGet(inbox, id)).state).toBe('received');
        expect(await inbox.countByState()).toMatchObject({ received: 4, dead: 0 });
        await expect(inbox.replayAll()).resolves.toBe(0);
      });
    });

    describe('reading', () => {
      it('get returns null for an unknown id', async () => {
        await expect(inbox.get('04l000000000000XXX')).resolves.toBeNull();
      });

      it('list returns newest first and filters by state, by record and by both', async () => {
        const a1 = opportunityNotification(opportunityId(1));
        const b1 = opportunityNotification(opportunityId(2));
        const a2 = opportunityNotification(opportunityId(1));
        const a3 = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([a1, b1]));
        await inbox.store(outboundMessage([a2, a3]));
        await inbox.claim({ owner: 'worker-a', limit: 10, leaseMs: LEASE_MS }); // claims a1 and b1

        expect(ids(await inbox.list())).toEqual([a3.id, a2.id, b1.id, a1.id]);
        expect(ids(await inbox.list({ state: 'processing' }))).toEqual([b1.id, a1.id]);
        expect(ids(await inbox.list({ recordId: opportunityId(1) }))).toEqual([
          a3.id,
          a2.id,
          a1.id,
        ]);
        expect(ids(await inbox.list({ state: 'received', recordId: opportunityId(1) }))).toEqual([
          a3.id,
          a2.id,
        ]);
        expect(ids(await inbox.list({ state: 'dead' }))).toEqual([]);
        expect(ids(await inbox.list({ limit: 2 }))).toEqual([a3.id, a2.id]);
      });

      it('list returns 100 by default and never more than 1000', async () => {
        for (let batch = 0; batch < 11; batch += 1) {
          const notifications = Array.from({ length: 100 }, (_, n) =>
            opportunityNotification(opportunityId(batch * 100 + n)),
          );
          await inbox.store(outboundMessage(notifications));
        }

        expect(await inbox.list()).toHaveLength(100);
        expect(await inbox.list({ limit: 5000 })).toHaveLength(1000);
        expect(await inbox.list({ limit: 0 })).toHaveLength(0);
      });

      it('list rejects a negative, fractional or NaN limit', async () => {
        for (const limit of [-1, 2.5, Number.NaN]) {
          await expect(inbox.list({ limit }), String(limit)).rejects.toBeInstanceOf(
            InboxArgumentError,
          );
        }
      });

      it('never shows the SessionId through get or list, in any state', async () => {
        const notifications = [1, 2, 3, 4].map((n) => opportunityNotification(opportunityId(n)));
        const [received, processing, waiting, done] = notifications.map((n) => n.id);
        await inbox.store(outboundMessage(notifications, { sessionId: SESSION_ID }));
        await inbox.claim({ owner: 'worker-a', limit: 4, leaseMs: LEASE_MS });
        if (
          received === undefined ||
          processing === undefined ||
          waiting === undefined ||
          done === undefined
        ) {
          throw new Error('expected four notifications');
        }
        await inbox.fail(waiting, lease('worker-a', waiting), {
          kind: 'retryable',
          error: 'x',
          retryAt: new Date(clock.now().getTime() + 1000),
        });
        await inbox.complete(done, lease('worker-a', done));
        await inbox.store(
          outboundMessage([opportunityNotification(opportunityId(5))], { sessionId: SESSION_ID }),
        );

        const everything = [
          await inbox.list(),
          await inbox.list({ state: 'processing' }),
          await inbox.list({ recordId: opportunityId(1) }),
          ...(await Promise.all(notifications.map((n) => inbox.get(n.id)))),
        ];
        const shown = JSON.stringify(everything);
        expect(shown).not.toContain(SESSION_ID);
        expect(shown).not.toContain('sessionId');
        expect((await inbox.list()).filter((m) => m.hasSessionId)).toHaveLength(4);
      });

      it('countByState reports all six states, zeros included', async () => {
        await expect(inbox.countByState()).resolves.toEqual({
          received: 0,
          processing: 0,
          retry_wait: 0,
          done: 0,
          dead: 0,
          held: 0,
        });

        const notifications = [1, 2, 3, 4, 5].map((n) => opportunityNotification(opportunityId(n)));
        await inbox.store(outboundMessage(notifications));
        const [first, second] = await inbox.claim({
          owner: 'worker-a',
          limit: 3,
          leaseMs: LEASE_MS,
        });
        if (first === undefined || second === undefined) throw new Error('expected three claims');
        await inbox.complete(first.id, lease('worker-a', first.id));
        await inbox.fail(second.id, lease('worker-a', second.id), {
          kind: 'permanent',
          error: 'x',
        });

        await expect(inbox.countByState()).resolves.toEqual({
          received: 2,
          processing: 1,
          retry_wait: 0,
          done: 1,
          dead: 1,
          held: 0,
        });
      });
    });

    describe('newer session (legacy mode)', () => {
      it('finds the SessionId of the newest later message from the same org, and nothing else', async () => {
        const first = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([first], { sessionId: 'old-session' }));
        const stored = await mustGet(inbox, first.id);
        await expect(
          inbox.newerSessionId('00D000000000001AAA', stored.receivedAt),
        ).resolves.toBeNull();

        clock.advance(1000);
        await inbox.store(
          outboundMessage([opportunityNotification(opportunityId(2))], {
            sessionId: 'newer-session',
          }),
        );
        clock.advance(1000);
        await inbox.store(
          outboundMessage([opportunityNotification(opportunityId(3))], { sessionId: null }),
        );
        await expect(inbox.newerSessionId('00D000000000001AAA', stored.receivedAt)).resolves.toBe(
          'newer-session',
        );
        await expect(
          inbox.newerSessionId('00D000000000002AAA', stored.receivedAt),
        ).resolves.toBeNull();
      });

      it('forgets sessions of finished messages', async () => {
        const first = opportunityNotification(opportunityId(1));
        await inbox.store(outboundMessage([first]));
        const since = (await mustGet(inbox, first.id)).receivedAt;
        clock.advance(1000);
        const later = opportunityNotification(opportunityId(2));
        await inbox.store(outboundMessage([later], { sessionId: 'later-session' }));
        const claimed = await claimOne(inbox, 'w1');
        const mine = claimed.id === later.id ? claimed : await claimOne(inbox, 'w1');
        expect(mine.id).toBe(later.id);
        await inbox.complete(later.id, lease('w1', later.id));
        await expect(inbox.newerSessionId('00D000000000001AAA', since)).resolves.toBeNull();
      });
    });

    describe('health and closing', () => {
      it('isWritable is true while the store is open and false once it is closed', async () => {
        await expect(inbox.isWritable()).resolves.toBe(true);
        await inbox.close();
        await expect(inbox.isWritable()).resolves.toBe(false);
      });

      it('operations on a closed store reject with InboxUnavailableError', async () => {
        await inbox.close();

        await expect(inbox.store(outboundMessage([bareNotification()]))).rejects.toBeInstanceOf(
          InboxUnavailableError,
        );
        await expect(
          inbox.claim({ owner: 'worker-a', limit: 1, leaseMs: LEASE_MS }),
        ).rejects.toBeInstanceOf(InboxUnavailableError);
        await expect(inbox.list()).rejects.toBeInstanceOf(InboxUnavailableError);
        await expect(inbox.close()).resolves.toBeUndefined();
      });
    });

    describe('state machine: every declared transition, on this store', () => {
      /** Each store operation and the declared transition it applies. */
      const OPERATIONS = {
        claim: CLAIM,
        'claim at the attempt cap': EXHAUST,
        renew: RENEW,
        complete: COMPLETE,
        'fail retryable': FAIL_RETRYABLE,
        'fail permanent': FAIL_PERMANENT,
        release: RELEASE,
        replay: REPLAY,
        'replay all dead': REPLAY,
        'replay all held': REPLAY,
      } as const satisfies Record<string, Transition>;
      type Operation = keyof typeof OPERATIONS;

      /** One message, leased (if at all) by `worker-a`, brought into `state` through the public API. */
      async function bringTo(target: Inbox, targetClock: ManualClock, state: MessageState) {
        const notification = opportunityNotification(opportunityId(1));
        const hold =
          state === 'held' ? new Map([[notification.id, 'CONTRACT_MISMATCH: x']]) : undefined;
        await target.store(outboundMessage([notification], { sessionId: SESSION_ID }), { hold });
        if (state === 'received' || state === 'held') return notification.id;
        await target.claim({ owner: 'worker-a', limit: 1, leaseMs: LEASE_MS });
        const token = lease('worker-a', notification.id);
        const later = new Date(targetClock.now().getTime() + LEASE_MS);
        if (state === 'retry_wait')
          await target.fail(notification.id, token, {
            kind: 'retryable',
            error: 'x',
            retryAt: later,
          });
        if (state === 'done') await target.complete(notification.id, token);
        if (state === 'dead')
          await target.fail(notification.id, token, { kind: 'permanent', error: 'x' });
        return notification.id;
      }

      async function apply(
        target: Inbox,
        targetClock: ManualClock,
        operation: Operation,
        id: string,
      ) {
        const token = lease('worker-a', id);
        const later = new Date(targetClock.now().getTime() + LEASE_MS);
        switch (operation) {
          case 'claim':
          case 'claim at the attempt cap':
            // Far enough ahead that retries are due and leases have expired.
            targetClock.advance(10 * LEASE_MS);
            await target.claim({
              owner: 'worker-b',
              limit: 10,
              leaseMs: LEASE_MS,
              ...(operation === 'claim' ? {} : { maxAttempts: 1 }),
            });
            return;
          case 'renew':
            targetClock.advance(LEASE_MS / 2);
            await target.renewLease(id, token, LEASE_MS);
            return;
          case 'complete':
            await target.complete(id, token);
            return;
          case 'fail retryable':
            await target.fail(id, token, { kind: 'retryable', error: 'x', retryAt: later });
            return;
          case 'fail permanent':
            await target.fail(id, token, { kind: 'permanent', error: 'x' });
            return;
          case 'release':
            await target.release(id, token);
            return;
          case 'replay':
            await target.replay(id);
            return;
          case 'replay all dead':
            await target.replayAll('dead');
            return;
          case 'replay all held':
            await target.replayAll('held');
            return;
        }
      }

      /** Where the operation must take a message in `from`: its transition's target, or nowhere. */
      function expected(operation: Operation, from: MessageState): MessageState | 'unchanged' {
        if (operation === 'replay all dead' && from === 'held') return 'unchanged';
        if (operation === 'replay all held' && from === 'dead') return 'unchanged';
        const transition: Transition = OPERATIONS[operation];
        if (transition.from.includes(from)) return transition.to;
        // Below the cap (a message never tried), a claim is an ordinary claim.
        if (operation === 'claim at the attempt cap' && CLAIM.from.includes(from)) return CLAIM.to;
        return 'unchanged';
      }

      for (const operation of Object.keys(OPERATIONS) as Operation[]) {
        it(`${operation}: moves exactly the declared states, and leaves the others alone`, async () => {
          for (const from of MESSAGE_STATES) {
            const caseClock = new ManualClock();
            const caseSubject = await makeInbox(caseClock);
            const target = tracked(caseSubject.inbox);
            try {
              const id = await bringTo(target, caseClock, from);
              const before = await mustGet(target, id);
              expect(before.state, `setting up ${from}`).toBe(from);

              await apply(target, caseClock, operation, id);

              const after = await mustGet(target, id);
              const want = expected(operation, from);
              if (want === 'unchanged') {
                expect(after, `${operation} must not touch ${from}`).toEqual(before);
              } else {
                expect(after.state, `${operation} from ${from}`).toBe(want);
                expect(after.updatedAt.getTime()).toBeGreaterThanOrEqual(
                  before.updatedAt.getTime(),
                );
                if (want === 'processing') {
                  expect(after.leaseExpiresAt?.getTime(), `${operation} extends the lease`).toBe(
                    caseClock.now().getTime() + LEASE_MS,
                  );
                }
              }
              if (after.state === 'done' || after.state === 'dead')
                expect(after.hasSessionId).toBe(false);
              if (after.state === 'received' && (from === 'dead' || from === 'held')) {
                expect(after).toMatchObject({ attempts: 0, attemptsSince: caseClock.now() });
              }
            } finally {
              await caseSubject.cleanup();
            }
          }
        });
      }

      it('every declared transition is exercised by some operation above', () => {
        const declared = new Set(TRANSITIONS.map((transition) => transition.name));
        const exercised = new Set(Object.values(OPERATIONS).map((transition) => transition.name));
        expect([...exercised].sort()).toEqual([...declared].sort());
      });
    });

    describe('two stores on one database', () => {
      it('two stores claiming alternately never hand out the same message while leases are live', async ({
        skip,
      }) => {
        if (subject.openSibling === undefined) return skip('this store has no sibling to open');
        const sibling = tracked(await subject.openSibling());
        try {
          // Two messages per record, so per-record serialisation is exercised across stores too.
          const notifications = Array.from({ length: 40 }, (_, n) =>
            opportunityNotification(opportunityId(n % 20)),
          );
          await inbox.store(outboundMessage(notifications));
          const recordOf = new Map(notifications.map((n) => [n.id, n.sObject?.id ?? null]));

          const handedOut = new Map<string, string>();
          /** Messages claimed and not yet completed, oldest first: their leases are live. */
          const held: { id: string; owner: string; record: string | null }[] = [];
          const stores: readonly [string, Inbox][] = [
            ['first', inbox],
            ['second', sibling],
          ];
          for (let round = 0; round < 20; round += 1) {
            for (const [owner, store] of stores) {
              const claimed = await store.claim({ owner, limit: 3, leaseMs: LEASE_MS });
              for (const message of claimed) {
                expect(handedOut.get(message.id), `${message.id} handed out twice`).toBeUndefined();
                handedOut.set(message.id, owner);
                const record = recordOf.get(message.id) ?? null;
                expect(
                  held.some((h) => h.record !== null && h.record === record),
                  `${String(record)} leased twice`,
                ).toBe(false);
                held.push({ id: message.id, owner, record });
              }
              // Finish this owner's oldest message each turn, freeing its record for the other store.
              const index = held.findIndex((h) => h.owner === owner);
              const finished = held[index];
              if (finished !== undefined) {
                await expect(store.complete(finished.id, lease(owner, finished.id))).resolves.toBe(
                  true,
                );
                held.splice(index, 1);
              }
            }
            clock.advance(100);
          }

          expect(handedOut.size).toBe(40);
          expect(new Set(handedOut.values())).toEqual(new Set(['first', 'second']));
        } finally {
          await sibling.close();
        }
      });

      it('concurrent claims through two stores hand out every message once and never one record twice', async ({
        skip,
      }) => {
        if (subject.openSibling === undefined) return skip('this store has no sibling to open');
        const sibling = tracked(await subject.openSibling());
        try {
          // 60 messages over 20 records: every claim races the others for the same rows.
          const notifications = Array.from({ length: 60 }, (_, n) =>
            opportunityNotification(opportunityId(n % 20)),
          );
          await inbox.store(outboundMessage(notifications));
          const recordOf = new Map(notifications.map((n) => [n.id, n.sObject?.id ?? null]));

          const rounds = await Promise.all(
            Array.from({ length: 8 }, (_, n) =>
              (n % 2 === 0 ? inbox : sibling).claim({
                owner: `w${n}`,
                limit: 5,
                leaseMs: LEASE_MS,
              }),
            ),
          );
          const claimed = rounds.flat();
          expect(new Set(ids(claimed)).size).toBe(claimed.length);
          // No message completed, so a record may be leased by one claim only.
          const records = claimed.map((message) => recordOf.get(message.id));
          expect(new Set(records).size).toBe(records.length);
          expect(claimed.length).toBeGreaterThan(0);
          expect(claimed.length).toBeLessThanOrEqual(20);
        } finally {
          await sibling.close();
        }
      });

      it('the same notification stored concurrently through two stores is inserted once', async ({
        skip,
      }) => {
        if (subject.openSibling === undefined) return skip('this store has no sibling to open');
        const sibling = tracked(await subject.openSibling());
        try {
          const shared = Array.from({ length: 10 }, (_, n) =>
            opportunityNotification(opportunityId(n)),
          );
          // Redeliveries in a different order: the stores must not deadlock on each other's rows.
          const results = await Promise.all(
            Array.from({ length: 6 }, (_, n) =>
              (n % 2 === 0 ? inbox : sibling).store(
                outboundMessage(n % 3 === 0 ? [...shared].reverse() : shared),
              ),
            ),
          );
          expect(results.reduce((sum, r) => sum + r.inserted, 0)).toBe(10);
          expect(results.reduce((sum, r) => sum + r.duplicates, 0)).toBe(50);
          expect((await inbox.countByState()).received).toBe(10);
        } finally {
          await sibling.close();
        }
      });

      it('a message stored through one store is deduplicated and claimable through the other', async ({
        skip,
      }) => {
        if (subject.openSibling === undefined) return skip('this store has no sibling to open');
        const sibling = tracked(await subject.openSibling());
        try {
          const message = outboundMessage([opportunityNotification(opportunityId(1))]);
          await inbox.store(message);

          await expect(sibling.store(message)).resolves.toEqual({
            received: 1,
            inserted: 0,
            duplicates: 1,
            held: 0,
            unusualDuplicates: [
              { id: message.notifications[0]?.id, state: 'received', differingFields: [] },
            ],
          });
          const claimed = await claimOne(sibling, 'second');
          await expect(
            inbox.claim({ owner: 'first', limit: 10, leaseMs: LEASE_MS }),
          ).resolves.toEqual([]);
          await expect(inbox.complete(claimed.id, lease('first', claimed.id))).resolves.toBe(false);
          await expect(inbox.complete(claimed.id, lease('second', claimed.id))).resolves.toBe(true);
        } finally {
          await sibling.close();
        }
      });
    });
  });
}
