import { afterEach, describe, expect, it } from 'vitest';
import { relayConfigSchema } from '../../src/config/index.ts';
import { createLogger } from '../../src/shared/index.ts';
import { startRelay, type RunningRelay } from '../../src/relay/index.ts';
import { emulatorOAuth, startLoop, type Loop } from '../support/loop.ts';
import { waitFor } from '../support/wait-for.ts';
import { WSDL_FIXTURES } from '../support/wsdl-fixtures.ts';

let loop: Loop | undefined;
let restarted: RunningRelay | undefined;
afterEach(async () => {
  await restarted?.close();
  await loop?.stop();
  loop = restarted = undefined;
});

function orderNumberOf(l: Loop, id: string): unknown {
  return new Map(l.emulator.store.get(id)?.values ?? []).get('Order_Number__c') ?? null;
}

describe('a notification held by the configured WSDL', () => {
  it('is acked and held, then processed once the relay restarts with a fixed WSDL and it is replayed', async () => {
    // The operator configured the wrong WSDL (an Invoice__c one) for the Opportunity message.
    const invoice = WSDL_FIXTURES.find((fixture) => fixture.objectType === 'Invoice__c');
    if (!invoice) throw new Error('no Invoice__c fixture');
    loop = await startLoop({ relay: { wsdl: invoice.path } });
    const l = loop;
    const id = l.openOpportunity();
    l.close(id);
    await waitFor(
      async () => (await l.relay.inbox.countByState()).held === 1,
      'the notification to be held',
    );
    // Acked: Salesforce stops retrying.
    await waitFor(() => l.emulator.queue.size === 0, 'the emulator to see the Ack');
    const [held] = await l.relay.inbox.list({ state: 'held' });
    expect(held?.lastError).toMatch(/^CONTRACT_MISMATCH: the sObject is a Opportunity/);
    expect(orderNumberOf(l, id)).toBeNull();
    expect(l.logs.join('')).toContain('"event":"outbound.held"');

    // Fixed: the relay restarts without the wrong WSDL, on the same inbox, and the operator
    // replays what was held.
    await l.relay.close();
    const dbFile = l.dir.file('relay.db');
    restarted = await startRelay(
      relayConfigSchema.parse({
        port: 0,
        db: `sqlite:${dbFile}`,
        allowedOrganizationIds: [l.emulator.organizationId],
        salesforce: {
          oauth: emulatorOAuth(l.emulator.url),
        },
        erp: { url: l.erp.url },
        worker: { pollMs: 20 },
      }),
      createLogger('silent'),
    );
    const relay = restarted;
    await expect(relay.inbox.replayAll('held')).resolves.toBe(1);
    relay.worker?.nudge();

    await waitFor(() => orderNumberOf(l, id), 'the order number on the Opportunity', 30_000);
    // The number lands on the record a moment before the worker records the notification done.
    await waitFor(
      async () => (await relay.inbox.countByState()).done === 1,
      'the notification done',
    );
    expect(await relay.inbox.countByState()).toMatchObject({ done: 1, held: 0, dead: 0 });
    expect(l.erp.orders()).toHaveLength(1);
  });
});
