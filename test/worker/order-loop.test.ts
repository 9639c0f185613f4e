import { afterEach, describe, expect, it } from 'vitest';
import { openInbox } from '../../src/inbox/index.ts';
import { renderOutboundMessage, toId15, type OutboundMessage } from '../../src/soap/index.ts';
import { leakedSecrets, startLoop, type Loop } from '../support/loop.ts';
import { isAck, postSoap } from '../support/relay.ts';
import { waitFor } from '../support/wait-for.ts';

let loop: Loop | undefined;
afterEach(async () => {
  // Every test here doubles as a scan: no secret it used may appear in the relay's logs.
  if (loop) expect(leakedSecrets(loop)).toEqual([]);
  await loop?.stop();
  loop = undefined;
});

interface ErpOrderJson {
  orderNumber: string;
  opportunityId: string;
}

async function ordersFor(l: Loop, opportunityId: string): Promise<ErpOrderJson[]> {
  const response = await fetch(`${l.erp.url}/orders?opportunityId=${opportunityId}`);
  const body = (await response.json()) as ErpOrderJson[] | { orders: ErpOrderJson[] };
  return Array.isArray(body) ? body : body.orders;
}

async function erpFaults(l: Loop, faults: Record<string, number>): Promise<void> {
  const response = await fetch(`${l.erp.url}/erp/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  expect(response.ok).toBe(true);
}

function opportunity(l: Loop, id: string): Map<string, unknown> {
  return new Map(l.emulator.store.get(id)?.values ?? []);
}

async function settled(l: Loop, what: string): Promise<void> {
  await waitFor(async () => {
    const counts = await l.relay.inbox.countByState();
    return (
      l.emulator.queue.size === 0 && counts.received + counts.processing + counts.retry_wait === 0
    );
  }, what);
}

/** The stored notification for `recordId`, once the worker has finished it. */
function finished(l: Loop, recordId: string) {
  return waitFor(async () => {
    const [message] = await l.relay.inbox.list({ recordId });
    return message?.state === 'done' && message;
  }, `the notification for ${recordId} to be done`);
}

/** A hand-made redelivery of what the emulator would send for `opportunityId`. */
function messageFor(l: Loop, notificationIds: readonly string[], opportunityId: string): string {
  const org15 = toId15(l.emulator.organizationId);
  const message: OutboundMessage = {
    organizationId: l.emulator.organizationId,
    actionId: l.emulator.definitions.list()[0]?.actionId ?? '04k000000000000AAA',
    sessionId: null,
    enterpriseUrl: `${l.emulator.url}/services/Soap/c/60.0/${org15}`,
    partnerUrl: `${l.emulator.url}/services/Soap/u/60.0/${org15}`,
    notifications: notificationIds.map((id) => ({
      id,
      sObject: { type: 'Opportunity', id: opportunityId, fields: { StageName: 'Closed Won' } },
    })),
  };
  return renderOutboundMessage(message);
}

describe('the worker: read back, guard, ERP order, callback', () => {
  it('turns one closed Opportunity into one ERP order and writes its number and status back', async () => {
    loop = await startLoop();
    const id = loop.openOpportunity('Acme Fibre');
    loop.close(id);
    await waitFor(
      () => opportunity(loop as Loop, id).get('Order_Number__c'),
      'the order number on the Opportunity',
    );
    await settled(loop, 'the loop to settle');
    const orders = await ordersFor(loop, id);
    expect(orders).toHaveLength(1);
    expect(opportunity(loop, id).get('Order_Number__c')).toBe(orders[0]?.orderNumber);
    expect(opportunity(loop, id).get('Order_Status__c')).toBe('Created');
    expect(loop.emulator.counters.writesOf(id).updates).toBe(2); // the close itself, and our one callback
    const [stored] = await loop.relay.inbox.list({ recordId: id });
    expect(stored?.state).toBe('done');
  });

  it('makes one order and one update from five deliveries of a notification plus a second notification', async () => {
    loop = await startLoop({ senderPollMs: 3_600_000 });
    const id = loop.openOpportunity();
    loop.emulator.store.update('Opportunity', id, { StageName: 'Closed Won' }, null);
    const url = `${loop.relay.url}/soap/outbound`;
    const first = messageFor(loop, ['04l5g00000DupAAAAV'], id);
    const replies = await Promise.all(Array.from({ length: 5 }, () => postSoap(url, first)));
    expect(replies.every(isAck)).toBe(true);
    expect(isAck(await postSoap(url, messageFor(loop, ['04l5g00000DupBAAAV'], id)))).toBe(true);
    await waitFor(
      async () => (await loop?.relay.inbox.countByState())?.done === 2,
      'both notifications to be done',
    );
    expect(await ordersFor(loop, id)).toHaveLength(1);
    expect(loop.emulator.counters.writesOf(id).updates).toBe(2); // the close, and one callback
  });

  it('makes no order for an Opportunity reopened before the worker got to it', async () => {
    loop = await startLoop({ senderPollMs: 3_600_000 });
    const id = loop.openOpportunity();
    loop.close(id);
    loop.emulator.store.update('Opportunity', id, { StageName: 'Negotiation/Review' }, null);
    await loop.emulator.sender.tick();
    await waitFor(
      async () => (await loop?.relay.inbox.countByState())?.done === 1,
      'the notification to be done',
    );
    expect(await ordersFor(loop, id)).toHaveLength(0);
    expect(opportunity(loop, id).get('Order_Number__c')).toBeNull();
  });

  it('retries ERP failures with backoff until the ERP answers, making one order', async () => {
    loop = await startLoop();
    await erpFaults(loop, { failNext: 3 });
    const id = loop.openOpportunity();
    loop.close(id);
    await waitFor(() => opportunity(loop as Loop, id).get('Order_Number__c'), 'the order number');
    const stored = await finished(loop, id);
    expect(stored.attempts).toBe(4);
    expect(stored.lastError).toMatch(/ERP_UNAVAILABLE/);
    expect(await ordersFor(loop, id)).toHaveLength(1);
  });

  it('gets the same order back after the ERP committed it and dropped the connection', async () => {
    loop = await startLoop();
    await erpFaults(loop, { dropAfterCommitNext: 1 });
    const id = loop.openOpportunity();
    loop.close(id);
    await waitFor(() => opportunity(loop as Loop, id).get('Order_Number__c'), 'the order number');
    const orders = await ordersFor(loop, id);
    expect(orders).toHaveLength(1);
    expect(opportunity(loop, id).get('Order_Number__c')).toBe(orders[0]?.orderNumber);
    const stored = await finished(loop, id);
    expect(stored.attempts).toBe(2);
  });

  it.each(['soap', 'apex-rest'] as const)(
    'writes the result back with the %s callback',
    async (callback) => {
      loop = await startLoop({ relay: { salesforce: { callback } } });
      const id = loop.openOpportunity();
      loop.close(id);
      await waitFor(() => opportunity(loop as Loop, id).get('Order_Number__c'), 'the order number');
      expect(opportunity(loop, id).get('Order_Status__c')).toBe('Created');
      expect(await ordersFor(loop, id)).toHaveLength(1);
      const calls = loop.emulator.counters.snapshot().calls;
      const api = callback === 'soap' ? 'soap' : 'apexrest';
      expect(Object.keys(calls).some((key) => key.startsWith(`${api} `))).toBe(true);
    },
  );

  it('refreshes the token once, not once per message, when every session expires mid-run', async () => {
    loop = await startLoop({ senderPollMs: 3_600_000 });
    const warmUp = loop.openOpportunity();
    loop.close(warmUp);
    await loop.emulator.sender.tick();
    await waitFor(
      () => opportunity(loop as Loop, warmUp).get('Order_Number__c'),
      'the first order',
    );
    const tokenCalls = (): number =>
      loop?.emulator.counters.snapshot().calls['oauth POST token'] ?? 0;
    expect(tokenCalls()).toBe(1);
    loop.emulator.authority.expireAll();
    const ids = Array.from({ length: 20 }, () => loop?.openOpportunity() ?? '');
    for (const id of ids) loop.close(id);
    await loop.emulator.sender.tick();
    await waitFor(
      () => ids.every((id) => opportunity(loop as Loop, id).get('Order_Number__c')),
      'all 20 orders',
    );
    expect(tokenCalls()).toBe(2);
  });
});

describe('stopping the relay', () => {
  it('lets work in flight finish before it closes, abandoning nothing', async () => {
    loop = await startLoop();
    await erpFaults(loop, { latencyMs: 800 });
    const id = loop.openOpportunity();
    loop.close(id);
    const relay = loop.relay;
    await waitFor(
      async () => (await relay.inbox.list({ recordId: id }))[0]?.state === 'processing',
      'the worker to start',
    );
    await relay.close();
    const inbox = await openInbox(`sqlite:${loop.dir.file('relay.db')}`, { readonly: true });
    try {
      const [stored] = await inbox.list({ recordId: id });
      expect(stored?.state).toBe('done');
    } finally {
      await inbox.close();
    }
    expect(await ordersFor(loop, id)).toHaveLength(1);
    expect(opportunity(loop, id).get('Order_Number__c')).toMatch(/^SO-/);
  });
});
