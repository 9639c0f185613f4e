import { describe, expect, it } from 'vitest';
import { outboundBodyFactory } from '../../src/bench/outbound-body.ts';
import { computeRatios } from '../../src/bench/ratios.ts';
import type { AckResult } from '../../src/bench/report.ts';
import { latencyIsFlat } from '../../src/bench/scenarios/end-to-end.ts';
import { parseOutboundMessage } from '../../src/soap/index.ts';

describe('benchmark bodies', () => {
  it('are real outbound messages whose notification and record ids are never reused', () => {
    const next = outboundBodyFactory(100, 'ab12');
    const ids = new Set<string>();
    const records = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const message = parseOutboundMessage(Buffer.from(next()));
      expect(message.notifications).toHaveLength(100);
      for (const n of message.notifications) {
        ids.add(n.id);
        records.add(n.sObject?.id ?? '');
      }
    }
    expect(ids.size).toBe(300);
    expect(records.size).toBe(300);
  });
});

describe('same-run ratios', () => {
  const row = (target: AckResult['target'], batch: number, rate: number): AckResult => ({
    scenario: 'ack',
    target,
    concurrency: 32,
    batch,
    notificationsPerSec: rate,
    messagesPerSec: rate / batch,
    ackP50Ms: 1,
    ackP99Ms: 2,
    rssMb: null,
    failures: 0,
  });

  it('divide notifications/s at 32 connections, and say why a ratio is missing', () => {
    const ratios = computeRatios(
      [row('baseline', 1, 1000), row('node-soap', 1, 200), row('sf-relay-sqlite', 1, 500)],
      [{ target: 'sf-relay-postgres', reason: 'no PostgreSQL here' }],
    );
    expect(ratios.batch1).toEqual({
      sqliteVsBaseline: 0.5,
      sqliteVsNodeSoap: 2.5,
      postgresVsBaseline: null,
      postgresVsNodeSoap: null,
    });
    expect(ratios.batch100.sqliteVsNodeSoap).toBeNull();
    expect(ratios.notes.join('\n')).toContain('no PostgreSQL here');
  });
});

describe('end-to-end backlog check', () => {
  it('calls a run sustained when late closes wait no longer than early ones', () => {
    expect(latencyIsFlat([50, 60, 55, 52, 58, 61])).toBe(true);
  });
  it('calls it growing when latency climbs through the run, or a close never completed', () => {
    expect(latencyIsFlat([50, 200, 400, 800, 1600, 3200])).toBe(false);
    expect(latencyIsFlat([50, 60, null, 52])).toBe(false);
  });
});
