import { afterEach, describe, expect, it } from 'vitest';
import {
  InboxUnavailableError,
  NotificationConflictError,
  type Inbox,
} from '../../src/inbox/index.ts';
import {
  notificationId,
  opportunityId,
  opportunityNotification,
  outboundMessage,
} from './messages.ts';

/** One store's inbox, fresh and empty, and a view of its rows through another connection. */
export interface GroupCommitSubject {
  readonly inbox: Inbox;
  /** Stored notification ids in arrival order. */
  storedIds(): Promise<string[]>;
  /** How many transactions wrote the stored rows, where the store can tell (PostgreSQL's xmin). */
  writingTransactions?(): Promise<number>;
  cleanup(): Promise<void>;
}

/**
 * What group commit promises on every store: stores issued together commit together, yet
 * each caller gets its own counts and its own refusal, as if committed one after the other.
 * (How each store proves "one transaction", and how it makes a commit fail, stays in its file.)
 */
export function describeGroupCommitContract(
  name: string,
  open: () => Promise<GroupCommitSubject>,
): void {
  describe(`${name} group commit (shared contract)`, () => {
    const subjects: GroupCommitSubject[] = [];
    afterEach(async () => {
      for (const subject of subjects.splice(0)) await subject.cleanup();
    });
    async function fresh(): Promise<GroupCommitSubject> {
      const subject = await open();
      subjects.push(subject);
      return subject;
    }

    it('commits many concurrent stores, each with its own counts, in call order', async () => {
      const { inbox, storedIds, writingTransactions } = await fresh();
      const messages = Array.from({ length: 40 }, (_, i) =>
        outboundMessage(
          Array.from({ length: 1 + (i % 3) }, (__, j) =>
            opportunityNotification(opportunityId(i * 10 + j)),
          ),
        ),
      );

      const results = await Promise.all(messages.map((m) => inbox.store(m)));

      expect(results).toMatchObject(
        messages.map((m) => ({
          received: m.notifications.length,
          inserted: m.notifications.length,
          duplicates: 0,
        })),
      );
      expect(await storedIds()).toEqual(messages.flatMap((m) => m.notifications.map((n) => n.id)));
      if (writingTransactions !== undefined) expect(await writingTransactions()).toBe(1);
    });

    it('counts a notification carried by two callers of one group once inserted, once duplicate', async () => {
      const { inbox, storedIds } = await fresh();
      const shared = opportunityNotification(opportunityId(1));
      const own = opportunityNotification(opportunityId(2));

      const [first, second] = await Promise.all([
        inbox.store(outboundMessage([shared])),
        inbox.store(outboundMessage([own, shared])),
      ]);

      expect(first).toMatchObject({ received: 1, inserted: 1, duplicates: 0, held: 0 });
      expect(second).toMatchObject({ received: 2, inserted: 1, duplicates: 1, held: 0 });
      // The duplicate's twin is not finished yet: reported, as for a redelivery stored later.
      expect(second?.unusualDuplicates).toEqual([
        { id: shared.id, state: 'received', differingFields: [] },
      ]);
      expect(await storedIds()).toEqual([shared.id, own.id]);
    });

    it('refuses only the caller whose notification id is stored for another record; the rest of the group commits', async () => {
      const { inbox, storedIds } = await fresh();
      const taken = opportunityNotification(opportunityId(1));
      await inbox.store(outboundMessage([taken]));
      const fine = outboundMessage([opportunityNotification(opportunityId(2))]);
      const conflicting = outboundMessage([
        opportunityNotification(opportunityId(3)),
        opportunityNotification(opportunityId(4), { id: taken.id }),
      ]);
      const alsoFine = outboundMessage([
        opportunityNotification(opportunityId(5)),
        // A redelivery inside the same group stays a plain duplicate.
        taken,
      ]);

      const [a, b, c] = await Promise.allSettled([
        inbox.store(fine),
        inbox.store(conflicting),
        inbox.store(alsoFine),
      ]);

      expect(a).toMatchObject({ status: 'fulfilled', value: { inserted: 1, duplicates: 0 } });
      expect(c).toMatchObject({ status: 'fulfilled', value: { inserted: 1, duplicates: 1 } });
      expect(b.status === 'rejected' && b.reason instanceof NotificationConflictError).toBe(true);
      expect(await storedIds()).toEqual([
        taken.id,
        ...fine.notifications.map((n) => n.id),
        ...(alsoFine.notifications[0] === undefined ? [] : [alsoFine.notifications[0].id]),
      ]);
    });

    it('refuses only the later caller when two callers of one group carry one id for different records', async () => {
      const { inbox, storedIds } = await fresh();
      const id = notificationId();
      const first = outboundMessage([opportunityNotification(opportunityId(1), { id })]);
      const forged = outboundMessage([
        opportunityNotification(opportunityId(2)),
        opportunityNotification(opportunityId(3), { id }),
      ]);
      const last = outboundMessage([opportunityNotification(opportunityId(4))]);

      const [a, b, c] = await Promise.allSettled([
        inbox.store(first),
        inbox.store(forged),
        inbox.store(last),
      ]);

      expect(a.status).toBe('fulfilled');
      expect(b.status === 'rejected' && b.reason instanceof NotificationConflictError).toBe(true);
      expect(c.status).toBe('fulfilled');
      expect(await storedIds()).toEqual([id, ...last.notifications.map((n) => n.id)]);
    });

    it('commits stores still waiting when the inbox is closed, and refuses stores after', async () => {
      const { inbox, storedIds } = await fresh();
      const message = outboundMessage([opportunityNotification(opportunityId(1))]);
      const stored = inbox.store(message);
      await inbox.close();

      await expect(stored).resolves.toMatchObject({ received: 1, inserted: 1, duplicates: 0 });
      await expect(inbox.store(message)).rejects.toBeInstanceOf(InboxUnavailableError);
      expect(await storedIds()).toEqual(message.notifications.map((n) => n.id));
    });
  });
}
