import { afterEach, describe, expect, it } from 'vitest';
import { relayConfigSchema } from '../../src/config/index.ts';
import { createLogger } from '../../src/shared/index.ts';
import { startRelay, type RunningRelay } from '../../src/relay/index.ts';
import { makeKeyPair } from '../support/certificates.ts';
import { CLIENT_ID, CLIENT_SECRET, leakedSecrets, startLoop, type Loop } from '../support/loop.ts';
import { runCli } from '../support/relay-process.ts';
import { waitFor } from '../support/wait-for.ts';

let loop: Loop | undefined;
let secondRelay: RunningRelay | undefined;
afterEach(async () => {
  // Every test here doubles as a scan: no secret it used may appear in the relay's logs.
  if (loop) expect(leakedSecrets(loop)).toEqual([]);
  await secondRelay?.close();
  await loop?.stop();
  loop = undefined;
  secondRelay = undefined;
});

const orderNumberOf = (l: Loop, id: string): unknown =>
  l.emulator.store.get(id)?.values.get('Order_Number__c');
const tokenRequests = (l: Loop): number =>
  l.emulator.counters.snapshot().calls['oauth POST token'] ?? 0;

describe('callback authentication', () => {
  it('drives the loop with the JWT bearer flow', async () => {
    const keys = makeKeyPair();
    loop = await startLoop({ jwt: keys });
    const id = loop.openOpportunity();
    loop.close(id);
    await waitFor(() => orderNumberOf(loop as Loop, id), 'the order number');
    expect(tokenRequests(loop)).toBe(1);
    expect(loop.logs.join('')).not.toContain('PRIVATE KEY');
  });

  it('calls back with the message SessionId in legacy mode, without any OAuth', async () => {
    loop = await startLoop({
      relay: { salesforce: { useMessageSessionId: true, oauth: undefined } },
      emulator: {
        legacySessionId: true,
        outboundMessages: [
          { name: 'Legacy', endpointUrl: 'http://127.0.0.1:9/x', includeSessionId: true },
        ],
      },
    });
    const id = loop.openOpportunity();
    loop.close(id);
    await waitFor(() => orderNumberOf(loop as Loop, id), 'the order number');
    expect(tokenRequests(loop)).toBe(0);
    const stored = await waitFor(async () => {
      const [message] = (await loop?.relay.inbox.list({ recordId: id })) ?? [];
      return message?.state === 'done' && message;
    }, 'the notification to be done');
    expect(stored?.hasSessionId).toBe(false);
  });

  it('falls back to OAuth when the legacy SessionId is refused', async () => {
    loop = await startLoop({
      relay: { salesforce: { useMessageSessionId: true } },
      emulator: {
        legacySessionId: true,
        outboundMessages: [
          { name: 'Legacy', endpointUrl: 'http://127.0.0.1:9/x', includeSessionId: true },
        ],
      },
      senderPollMs: 3_600_000,
    });
    const id = loop.openOpportunity();
    loop.close(id);
    loop.emulator.faults.inject('invalid_session', 1);
    await loop.emulator.sender.tick();
    await waitFor(() => orderNumberOf(loop as Loop, id), 'the order number');
    expect(tokenRequests(loop)).toBe(1);
  });

  it('dead-letters an expired SessionId with no OAuth, and sf-relay replay finishes it once OAuth is configured', async () => {
    loop = await startLoop({
      relay: {
        salesforce: { useMessageSessionId: true, oauth: undefined },
        worker: { maxAttempts: 2 },
      },
      emulator: {
        legacySessionId: true,
        outboundMessages: [
          { name: 'Legacy', endpointUrl: 'http://127.0.0.1:9/x', includeSessionId: true },
        ],
      },
      senderPollMs: 3_600_000,
    });
    const id = loop.openOpportunity();
    loop.close(id);
    loop.emulator.faults.inject('invalid_session', 1000);
    await loop.emulator.sender.tick();
    await waitFor(
      async () => (await loop?.relay.inbox.countByState())?.dead === 1,
      'the notification to die',
    );
    const [dead] = await loop.relay.inbox.list({ recordId: id });
    expect(dead?.lastError).toMatch(/SESSION_EXPIRED/);
    expect(dead?.lastError).toMatch(/no OAuth/);
    expect(dead?.hasSessionId).toBe(false);
    loop.emulator.faults.clear();

    // The operator configures OAuth and restarts the worker, then replays the dead letter.
    const dbUrl = `sqlite:${loop.dir.file('relay.db')}`;
    await loop.relay.close();
    secondRelay = await startRelay(
      relayConfigSchema.parse({
        port: 0,
        db: dbUrl,
        role: 'worker',
        salesforce: {
          oauth: {
            flow: 'client_credentials',
            loginUrl: loop.emulator.url,
            clientId: CLIENT_ID,
            clientSecret: CLIENT_SECRET,
          },
        },
        erp: { url: loop.erp.url },
        worker: { pollMs: 20 },
      }),
      createLogger('silent'),
    );
    const replay = await runCli(['replay', '--dead', '--db', dbUrl]);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('replayed 1 dead notification');
    await waitFor(() => orderNumberOf(loop as Loop, id), 'the order number after the replay');
  });
});
