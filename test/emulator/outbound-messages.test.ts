import * as soap from 'soap';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/start-emulator.ts';
import { DEFAULT_OUTBOUND_WSDL, toId15 } from '../../src/soap/index.ts';
import {
  startCaptureEndpoint,
  type CaptureEndpoint,
  type Reply,
} from '../support/capture-endpoint.ts';
import { seedCatalogue, startTestEmulator } from '../support/emulator.ts';
import { waitFor } from '../support/wait-for.ts';

const HOUR = 3_600_000;
let emulator: RunningEmulator | undefined;
let endpoint: CaptureEndpoint | undefined;
afterEach(async () => {
  await emulator?.close();
  await endpoint?.close();
  emulator = undefined;
  endpoint = undefined;
});

/** An emulator whose one outbound message points at a capture endpoint; the sender only runs when told. */
async function setUp(
  behaviour?: (n: number) => Reply,
  config: Parameters<typeof startTestEmulator>[0] = {},
) {
  endpoint = await startCaptureEndpoint(behaviour);
  emulator = await startTestEmulator({
    delivery: { pollMs: 3_600_000, timeoutSeconds: 5, maxConcurrent: 4 },
    outboundMessages: [{ name: 'Opportunity_Closed_Won', endpointUrl: endpoint.url }],
    ...config,
  });
  return { emulator, endpoint };
}

function openOpportunity(e: RunningEmulator, name: string, accountId?: string): string {
  return e.store.create(
    'Opportunity',
    {
      Name: name,
      StageName: 'Prospecting',
      CloseDate: '2026-12-01',
      Amount: 1200,
      AccountId: accountId,
    },
    null,
  );
}

function close(e: RunningEmulator, id: string): void {
  e.store.update('Opportunity', id, { StageName: 'Closed Won' }, null);
}

describe('automation and the outbound sender', () => {
  it('sends a message our parser accepts when an Opportunity becomes Closed Won, with a nil SessionId', async () => {
    const { emulator: e, endpoint: ep } = await setUp();
    const { accountId } = seedCatalogue(e);
    const id = openOpportunity(e, 'Acme Fibre', accountId);
    expect(e.queue.size).toBe(0);
    close(e, id);
    expect(e.queue.size).toBe(1);
    await e.sender.tick();

    expect(ep.deliveries).toHaveLength(1);
    const delivery = ep.deliveries[0];
    expect(delivery?.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(delivery?.headers.soapaction).toBe('""');
    const message = delivery?.message;
    expect(message?.organizationId).toBe(e.organizationId);
    expect(message?.sessionId).toBeNull();
    expect(message?.actionId).toMatch(/^04k/);
    expect(message?.partnerUrl).toBe(`${e.url}/services/Soap/u/60.0/${toId15(e.organizationId)}`);
    expect(message?.enterpriseUrl).toBe(
      `${e.url}/services/Soap/c/60.0/${toId15(e.organizationId)}`,
    );
    expect(message?.notifications[0]?.id).toMatch(/^04l[a-zA-Z0-9]{15}$/);
    expect(message?.notifications[0]?.sObject).toEqual({
      type: 'Opportunity',
      id,
      fields: {
        AccountId: accountId,
        Amount: '1200.0',
        CloseDate: '2026-12-01',
        Name: 'Acme Fibre',
        StageName: 'Closed Won',
      },
    });
    expect(e.queue.size).toBe(0);
  });

  it('fires only on the update that meets the criteria, not on later edits', async () => {
    const { emulator: e } = await setUp();
    const id = openOpportunity(e, 'Once');
    close(e, id);
    e.store.update(
      'Opportunity',
      id,
      { Order_Number__c: 'SO-1', Order_Status__c: 'Created' },
      null,
    );
    e.store.update('Opportunity', id, { Description: 'edited after closing' }, null);
    expect(e.queue.size).toBe(1);
    e.store.create(
      'Opportunity',
      { Name: 'Born won', StageName: 'Closed Won', CloseDate: '2026-12-01' },
      null,
    );
    expect(e.queue.size).toBe(2);
  });

  it('reads field values at send time, so the latest data goes out', async () => {
    const { emulator: e, endpoint: ep } = await setUp();
    const id = openOpportunity(e, 'Before');
    close(e, id);
    e.store.update('Opportunity', id, { Name: 'After', Amount: 99.5 }, null);
    await e.sender.tick();
    expect(ep.deliveries[0]?.message.notifications[0]?.sObject?.fields).toMatchObject({
      Name: 'After',
      Amount: '99.5',
    });
  });

  it('batches 250 closings into three messages of 100, 100 and 50', async () => {
    const { emulator: e, endpoint: ep } = await setUp();
    const ids = Array.from({ length: 250 }, (_, i) => openOpportunity(e, `Bulk ${i}`));
    for (const id of ids) close(e, id);
    await e.sender.tick();
    expect(ep.deliveries.map((d) => d.message.notifications.length).sort((a, b) => b - a)).toEqual([
      100, 100, 50,
    ]);
    const sent = new Set(
      ep.deliveries.flatMap((d) => d.message.notifications.map((n) => n.sObject?.id)),
    );
    expect(sent).toEqual(new Set(ids));
  });

  it('is accepted by a node-soap server generated from the outbound WSDL', async () => {
    const received: unknown[] = [];
    const server: Server = createServer((_request, response) => {
      response.statusCode = 404;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const service = {
      NotificationService: {
        Notification: {
          notifications(args: unknown) {
            received.push(args);
            return { Ack: true };
          },
        },
      },
    };
    soap.listen(server, '/soap/outbound', service, DEFAULT_OUTBOUND_WSDL, () => undefined);
    try {
      emulator = await startTestEmulator({
        delivery: { pollMs: 3_600_000, timeoutSeconds: 5, maxConcurrent: 1 },
        outboundMessages: [
          { name: 'Opportunity_Closed_Won', endpointUrl: `http://127.0.0.1:${port}/soap/outbound` },
        ],
      });
      const id = openOpportunity(emulator, 'For node-soap');
      close(emulator, id);
      await emulator.sender.tick();
      expect(emulator.sender.stats.messagesAcked).toBe(1);
      expect(emulator.queue.size).toBe(0);
      expect(JSON.stringify(received)).toContain(id);
      expect(JSON.stringify(received)).toContain('For node-soap');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('retries with exponentially growing gaps, acks on the sixth try, and keeps the notification id', async () => {
    const { emulator: e, endpoint: ep } = await setUp((n) =>
      n < 5 ? (n % 2 === 0 ? 'fault' : 'http503') : 'ack',
    );
    close(e, openOpportunity(e, 'Flaky'));
    await e.sender.tick();
    const gaps: number[] = [];
    while (e.queue.size > 0) {
      const [item] = e.queue.list();
      if (!item) break;
      const gap = item.nextAttemptAt.getTime() - (item.lastAttemptAt?.getTime() ?? 0);
      gaps.push(gap);
      await e.clock.advance(item.nextAttemptAt.getTime() - e.clock.now().getTime());
      await waitFor(() => e.sender.idle, 'the retry to finish');
    }
    expect(ep.deliveries).toHaveLength(6);
    expect(new Set(ep.deliveries.map((d) => d.message.notifications[0]?.id)).size).toBe(1);
    expect(gaps).toHaveLength(5);
    for (let i = 1; i < gaps.length; i++) {
      const ratio = (gaps[i] ?? 0) / (gaps[i - 1] ?? 1);
      expect(ratio).toBeGreaterThan(1.5);
      expect(ratio).toBeLessThan(2.7);
    }
    expect(e.sender.history().map((d) => d.ok)).toEqual([false, false, false, false, false, true]);
    expect(e.sender.history()[0]?.reason).toMatch(/SOAP fault .*receiver is down/);
    expect(e.sender.history()[1]?.reason).toMatch(/HTTP 503/);
  });

  it('never waits more than two hours between tries and drops the message at 24 hours', async () => {
    const { emulator: e, endpoint: ep } = await setUp(() => 'nack');
    const started = e.clock.now().getTime();
    close(e, openOpportunity(e, 'Hopeless'));
    await e.sender.tick();
    const gaps: number[] = [];
    for (let guard = 0; guard < 200 && e.queue.size > 0; guard++) {
      const [item] = e.queue.list();
      if (!item) break;
      gaps.push(item.nextAttemptAt.getTime() - (item.lastAttemptAt?.getTime() ?? 0));
      await e.clock.advance(Math.max(0, item.nextAttemptAt.getTime() - e.clock.now().getTime()));
      await waitFor(() => e.sender.idle, 'the retry to finish');
    }
    expect(e.queue.size).toBe(0);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2 * HOUR);
    expect(gaps.filter((g) => g > 1.5 * HOUR).length).toBeGreaterThan(5);
    const [dropped] = e.queue.dropped();
    expect(dropped?.attempts).toBe(ep.deliveries.length);
    expect(dropped?.lastError).toMatch(/Ack was false/);
    const age = (dropped?.droppedAt.getTime() ?? 0) - started;
    expect(age).toBeGreaterThanOrEqual(24 * HOUR);
    expect(age).toBeLessThan(26 * HOUR);
  });

  it('sends the user-to-send-as session when the legacy switch is on, and it works as a bearer token', async () => {
    endpoint = await startCaptureEndpoint();
    emulator = await startTestEmulator({
      legacySessionId: true,
      delivery: { pollMs: 3_600_000, timeoutSeconds: 5, maxConcurrent: 1 },
      // Legacy orgs opted in per definition ("Send Session ID"); the other one stays nil.
      outboundMessages: [
        { name: 'Legacy', endpointUrl: endpoint.url, includeSessionId: true },
        { name: 'Modern', endpointUrl: endpoint.url },
      ],
    });
    close(emulator, openOpportunity(emulator, 'Legacy'));
    await emulator.sender.tick();
    const sessions = new Map(
      endpoint.deliveries.map((d) => [d.message.actionId, d.message.sessionId]),
    );
    expect(sessions.size).toBe(2);
    const [legacyAction, modernAction] = emulator.definitions.list().map((d) => d.actionId);
    expect(sessions.get(modernAction ?? '')).toBeNull();
    const sessionId = sessions.get(legacyAction ?? '');
    expect(sessionId).toMatch(new RegExp(`^${toId15(emulator.organizationId)}!`));
    const response = await fetch(`${emulator.url}/services/data/v60.0/sobjects`, {
      headers: { authorization: `Bearer ${sessionId}` },
    });
    expect(response.status).toBe(200);
  });
});

describe('delivery faults', () => {
  it('delivers every message twice when asked', async () => {
    const { emulator: e, endpoint: ep } = await setUp();
    e.faults.duplicateDeliveries = true;
    close(e, openOpportunity(e, 'Twice'));
    await e.sender.tick();
    expect(ep.deliveries).toHaveLength(2);
    expect(ep.deliveries[0]?.message).toEqual(ep.deliveries[1]?.message);
  });

  it('shuffles delivery order when asked', async () => {
    const { emulator: e, endpoint: ep } = await setUp();
    e.faults.shuffleDeliveries = true;
    const ids = Array.from({ length: 60 }, (_, i) => openOpportunity(e, `Order ${i}`));
    for (const id of ids) close(e, id);
    await e.sender.tick();
    const sent = ep.deliveries.flatMap((d) => d.message.notifications.map((n) => n.sObject?.id));
    expect(new Set(sent)).toEqual(new Set(ids));
    expect(sent).not.toEqual(ids);
  });
});
