import { afterEach, describe, expect, it } from 'vitest';
import { leakedSecrets, startLoop, type Loop } from '../support/loop.ts';
import { waitFor } from '../support/wait-for.ts';

let loop: Loop | undefined;
afterEach(async () => {
  if (loop) expect(leakedSecrets(loop)).toEqual([]);
  await loop?.stop();
  loop = undefined;
});

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (-?[0-9.]+(?:e[+-]?\d+)?|NaN|\+Inf|-Inf)$/;

/** Prometheus text exposition: every line a comment or `name{labels} value`; samples by name+labels. */
function parsePrometheus(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${JSON.stringify(line)}`);
    samples.set(`${match[1]}${match[2] ?? ''}`, Number(match[3]));
  }
  return samples;
}

describe('GET /metrics', () => {
  it('serves Prometheus text whose counters match what the loop did', async () => {
    loop = await startLoop();
    loop.emulator.faults.duplicateDeliveries = true;
    const ids = Array.from({ length: 5 }, () => loop?.openOpportunity() ?? '');
    for (const id of ids) loop.close(id);
    await waitFor(
      async () =>
        (await loop?.relay.inbox.countByState())?.done === 5 && loop?.emulator.queue.size === 0,
      'five orders',
    );

    const response = await fetch(`${loop.relay.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const samples = parsePrometheus(await response.text());
    expect(samples.get('sfrelay_notifications_received_total')).toBe(10);
    expect(samples.get('sfrelay_notifications_duplicate_total')).toBe(5);
    expect(samples.get('sfrelay_notifications_done_total')).toBe(5);
    expect(samples.get('sfrelay_notifications_dead_total')).toBe(0);
    expect(samples.get('sfrelay_inbox_depth{state="done"}')).toBe(5);
    expect(samples.get('sfrelay_inbox_depth{state="received"}')).toBe(0);
    expect(samples.get('sfrelay_erp_calls_total{outcome="ok"}')).toBe(5);
    // The worker reads back and writes back a batch of ready notifications per call, so five
    // orders take one to five calls of each kind: the counters must match the org's own count.
    const reads = samples.get('sfrelay_salesforce_calls_total{operation="read",outcome="ok"}') ?? 0;
    const callbacks =
      samples.get('sfrelay_salesforce_calls_total{operation="callback",outcome="ok"}') ?? 0;
    expect(reads).toBeGreaterThanOrEqual(1);
    expect(reads).toBeLessThanOrEqual(5);
    expect(callbacks).toBeGreaterThanOrEqual(1);
    expect(callbacks).toBeLessThanOrEqual(5);
    expect(reads + callbacks).toBe(loop.emulator.counters.apiRequests());
    // One Ack per message, and the emulator batches notifications into messages.
    expect(samples.get('sfrelay_ack_duration_seconds_count')).toBe(
      loop.emulator.sender.stats.messagesSent,
    );
    expect(samples.get('sfrelay_processing_duration_seconds_count')).toBe(5);
  });

  it('counts failures by their code', async () => {
    loop = await startLoop();
    await fetch(`${loop.erp.url}/erp/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ failNext: 2 }),
    });
    const id = loop.openOpportunity();
    loop.close(id);
    await waitFor(async () => (await loop?.relay.inbox.countByState())?.done === 1, 'the order');
    const samples = parsePrometheus(await (await fetch(`${loop.relay.url}/metrics`)).text());
    expect(samples.get('sfrelay_erp_calls_total{outcome="ERP_UNAVAILABLE"}')).toBe(2);
    expect(samples.get('sfrelay_notifications_retry_total{code="ERP_UNAVAILABLE"}')).toBe(2);
  });
});
