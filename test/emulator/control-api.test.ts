import { afterEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/start-emulator.ts';
import { startCaptureEndpoint, type CaptureEndpoint } from '../support/capture-endpoint.ts';
import { startTestEmulator } from '../support/emulator.ts';

let emulator: RunningEmulator | undefined;
let endpoint: CaptureEndpoint | undefined;
afterEach(async () => {
  await emulator?.close();
  await endpoint?.close();
  emulator = undefined;
  endpoint = undefined;
});

async function call(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${emulator?.url}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? null : JSON.parse(text) };
}

describe('the /emulator control API', () => {
  it('shows failed notifications with attempts, next attempt and reason; retries and deletes them', async () => {
    endpoint = await startCaptureEndpoint((n) => (n === 0 ? 'fault' : 'ack'));
    emulator = await startTestEmulator({
      delivery: { pollMs: 3_600_000, timeoutSeconds: 5, maxConcurrent: 1 },
      outboundMessages: [{ name: 'Opportunity_Closed_Won', endpointUrl: endpoint.url }],
    });
    const make = (name: string): string =>
      emulator?.store.create(
        'Opportunity',
        { Name: name, StageName: 'Closed Won', CloseDate: '2026-12-01' },
        null,
      ) ?? '';
    const first = make('First');
    await call('POST', '/emulator/outbound/flush');
    const listing = (await call('GET', '/emulator/outbound')).json as {
      queued: {
        id: string;
        recordId: string;
        attempts: number;
        nextAttemptAt: string;
        lastError: string;
      }[];
    };
    expect(listing.queued).toHaveLength(1);
    expect(listing.queued[0]).toMatchObject({
      recordId: first,
      attempts: 1,
      lastError: expect.stringMatching(/SOAP fault/),
    });
    expect(Date.parse(listing.queued[0]?.nextAttemptAt ?? '')).toBeGreaterThan(
      emulator.clock.now().getTime(),
    );

    const retried = await call('POST', `/emulator/outbound/${listing.queued[0]?.id}/retry`);
    expect(retried.json).toMatchObject({ stillQueued: false });
    expect(endpoint.deliveries).toHaveLength(2);

    make('Second');
    const [second] = emulator.queue.list();
    expect((await call('DELETE', `/emulator/outbound/${second?.id}`)).status).toBe(204);
    expect(emulator.queue.size).toBe(0);
    expect((await call('DELETE', `/emulator/outbound/${second?.id}`)).status).toBe(404);
  });

  it('moves the virtual clock forward, and only forward', async () => {
    emulator = await startTestEmulator({ outboundMessages: [] });
    const before = emulator.clock.now().getTime();
    const moved = await call('POST', '/emulator/clock/advance', { hours: 2 });
    expect(moved.status).toBe(200);
    expect(Date.parse((moved.json as { now: string }).now) - before).toBeGreaterThanOrEqual(
      2 * 3_600_000,
    );
    const backwards = await call('POST', '/emulator/clock/advance', { seconds: -5 });
    expect(backwards.status).toBe(400);
    expect(JSON.stringify(backwards.json)).toMatch(/seconds/);
  });

  it('injects, lists and clears faults, refusing unknown kinds with a clear error', async () => {
    emulator = await startTestEmulator({ outboundMessages: [] });
    const injected = await call('POST', '/emulator/faults', { kind: 'unavailable', count: 3 });
    expect(injected.json).toMatchObject({ pending: [{ kind: 'unavailable', remaining: 3 }] });
    const delivery = await call('PUT', '/emulator/faults/delivery', {
      duplicate: true,
      shuffle: true,
    });
    expect(delivery.json).toMatchObject({ duplicateDeliveries: true, shuffleDeliveries: true });
    const bad = await call('POST', '/emulator/faults', { kind: 'meteor' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('kind');
    expect((await call('DELETE', '/emulator/faults')).status).toBe(204);
    expect((await call('GET', '/emulator/faults')).json).toMatchObject({
      pending: [],
      rate: { rate: 0, kinds: [] },
      duplicateDeliveries: false,
      shuffleDeliveries: false,
    });
  });

  it('fails a seeded fraction of API calls, counts them, and repeats the pattern for the seed', async () => {
    emulator = await startTestEmulator({ outboundMessages: [] });
    const pattern = async (): Promise<number[]> => {
      const set = await call('PUT', '/emulator/faults/rate', {
        rate: 0.5,
        kinds: ['unavailable', 'unable_to_lock_row'],
        seed: 9,
      });
      expect(set.json).toMatchObject({ rate: { rate: 0.5 } });
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++)
        statuses.push((await call('GET', '/services/data/v60.0/sobjects')).status);
      return statuses;
    };
    const first = await pattern();
    const failed = (s: number): boolean => s === 503 || s === 400;
    expect(first.some(failed)).toBe(true);
    expect(first.some((s) => !failed(s))).toBe(true);
    expect(await pattern()).toEqual(first);
    const state = (await call('GET', '/emulator/faults')).json as {
      injected: { unavailable: number; unable_to_lock_row: number };
    };
    const failures = first.filter(failed).length;
    expect(state.injected.unavailable + state.injected.unable_to_lock_row).toBe(2 * failures);
    const bad = await call('PUT', '/emulator/faults/rate', { rate: 2, kinds: ['meteor'] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toMatch(/rate/);
  });

  it('repoints an outbound message definition at another endpoint', async () => {
    endpoint = await startCaptureEndpoint();
    emulator = await startTestEmulator({
      delivery: { pollMs: 3_600_000, timeoutSeconds: 5, maxConcurrent: 1 },
      outboundMessages: [
        { name: 'Opportunity_Closed_Won', endpointUrl: 'http://127.0.0.1:9/nowhere' },
      ],
    });
    const patched = await call('PATCH', '/emulator/outbound-definitions/Opportunity_Closed_Won', {
      endpointUrl: endpoint.url,
    });
    expect(patched.json).toMatchObject({ endpointUrl: endpoint.url });
    emulator.store.create(
      'Opportunity',
      { Name: 'Routed', StageName: 'Closed Won', CloseDate: '2026-12-01' },
      null,
    );
    await call('POST', '/emulator/outbound/flush');
    expect(endpoint.deliveries).toHaveLength(1);
    expect(
      (await call('PATCH', '/emulator/outbound-definitions/Nope', { endpointUrl: endpoint.url }))
        .status,
    ).toBe(404);
  });
});
