import { describe, expect, it } from 'vitest';
import { runCli } from '../support/relay-process.ts';

describe('sf-relay bench (smoke: proves it runs, never how fast)', () => {
  it('measures the baseline and the SQLite relay side by side and prints one JSON report', async () => {
    const run = await runCli(
      [
        'bench',
        '--json',
        '--seconds',
        '1',
        '--scenario',
        'ack',
        '--target',
        'baseline,sf-relay-sqlite,sf-relay-postgres',
        '--concurrency',
        '32',
        '--batch',
        '1',
      ],
      {},
      120_000,
    );
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as {
      machine: { cores: number; nodeVersion: string };
      results: {
        scenario: string;
        target: string;
        notificationsPerSec: number;
        ackP99Ms: number;
        failures: number;
      }[];
      ratios: {
        batch1: { sqliteVsBaseline: number | null; postgresVsBaseline: number | null };
        startup: { vsBaseline: number | null };
        memory: { relayIdleRssMb: number | null };
      };
      skipped: { target: string; reason: string }[];
    };
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(report.machine.nodeVersion).toBe(process.version);
    // The start-up rows (scenario 'startup') are checked through the ratios below.
    const ack = report.results.filter((r) => r.scenario === 'ack');
    const measured = ack.map((r) => r.target);
    expect(measured).toEqual(expect.arrayContaining(['baseline', 'sf-relay-sqlite']));
    for (const result of ack) {
      expect(result.notificationsPerSec).toBeGreaterThan(0);
      expect(Number.isFinite(result.ackP99Ms)).toBe(true);
      expect(result.failures).toBe(0);
    }
    expect(report.ratios.batch1.sqliteVsBaseline).toBeGreaterThan(0);
    // Start-up of the relay and of bare Fastify, spawned in the same run, and the idle RSS.
    expect(report.ratios.startup.vsBaseline).toBeGreaterThan(0);
    expect(report.ratios.memory.relayIdleRssMb).toBeGreaterThan(0);
    // PostgreSQL is either measured or skipped with a reason; never silently missing.
    const postgresMeasured = measured.includes('sf-relay-postgres');
    const postgresSkipped = report.skipped.some((s) => s.target === 'sf-relay-postgres');
    expect(postgresMeasured !== postgresSkipped).toBe(true);
    if (postgresSkipped) expect(report.ratios.batch1.postgresVsBaseline).toBeNull();
  }, 150_000);

  it('refuses an unknown scenario with exit code 2', async () => {
    const run = await runCli(['bench', '--scenario', 'nonsense']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('ack, end-to-end, recovery');
  });
});
