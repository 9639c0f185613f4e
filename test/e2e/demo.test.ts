import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo/run-demo.ts';
import { createLogger } from '../../src/shared/index.ts';
import { runCli } from '../support/relay-process.ts';
import { waitFor } from '../support/wait-for.ts';

describe('sf-relay demo', () => {
  it('closes Opportunities, orders each exactly once and reports one JSON object with exactly the documented keys', async () => {
    const run = await runCli(['demo', '--count', '25', '--json'], {}, 120_000);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(report).sort()).toEqual([
      'callbacks',
      'closed',
      'duplicates',
      'e2eMs',
      'lost',
      'notifications',
      'ok',
      'orders',
    ]);
    expect(report).toMatchObject({
      closed: 25,
      notifications: 50,
      duplicates: 25,
      orders: 25,
      callbacks: 25,
      lost: 0,
      ok: true,
    });
    const latency = report.e2eMs as { p50: number; p95: number; p99: number };
    expect(latency.p50).toBeGreaterThan(0);
    expect(latency.p50).toBeLessThanOrEqual(latency.p95);
    expect(latency.p95).toBeLessThanOrEqual(latency.p99);
    expect(run.stderr).toMatch(/called back/);
  });

  it('prints a table by default and refuses a bad count', async () => {
    const table = await runCli(['demo', '--count', '3']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/Opportunities closed\s+3/);
    expect(table.stdout).toMatch(/lost\s+0/);
    const bad = await runCli(['demo', '--count', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--count/);
  });
});

describe('the demo and /metrics', () => {
  it('publishes counters that match the demo report', async () => {
    const demo = await runDemo({
      count: 15,
      port: 0,
      deadlineMs: 60_000,
      logger: createLogger('silent'),
    });
    try {
      expect(demo.report.ok).toBe(true);
      const value = (body: string, name: string): number =>
        Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(body)?.[1]);
      // The last worker outcome is counted just after its callback is visible on the record.
      const text = await waitFor(async () => {
        const body = await (await fetch(`${demo.urls.relay}/metrics`)).text();
        return value(body, 'sfrelay_notifications_done_total') === demo.report.orders && body;
      }, 'the done counter to catch up');
      expect(value(text, 'sfrelay_notifications_received_total')).toBe(demo.report.notifications);
      expect(value(text, 'sfrelay_notifications_duplicate_total')).toBe(demo.report.duplicates);
      expect(value(text, 'sfrelay_notifications_done_total')).toBe(demo.report.orders);
    } finally {
      await demo.stop();
    }
  });
});
