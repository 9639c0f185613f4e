import { describe, expect, it } from 'vitest';
import { verifyOutcome, type OutcomeInput } from '../../src/chaos/verify-outcome.ts';
import { planChaos } from '../../src/chaos/chaos-plan.ts';
import { scanLogsForSecrets } from '../../src/chaos/scan-logs.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { writeFileSync } from 'node:fs';

const A = '006000000000001AAA';
const B = '006000000000002AAA';
const C = '006000000000003AAA';

function input(overrides: Partial<OutcomeInput> = {}): OutcomeInput {
  return {
    closed: 3,
    opportunities: [
      { Id: A, Order_Number__c: 'SO-1' },
      { Id: B, Order_Number__c: 'SO-2' },
      { Id: C, Order_Number__c: 'SO-3' },
    ],
    orders: [
      { orderNumber: 'SO-1', opportunityId: A },
      { orderNumber: 'SO-2', opportunityId: B },
      { orderNumber: 'SO-3', opportunityId: C },
    ],
    inbox: { received: 0, processing: 0, retry_wait: 0, done: 3, dead: 0, held: 0 },
    emulatorQueued: 0,
    emulatorDropped: 0,
    ...overrides,
  };
}

describe('the chaos verdict', () => {
  it('passes when every Opportunity has one order and its number, and nothing is left', () => {
    expect(verifyOutcome(input())).toEqual({
      orders: 3,
      callbacks: 3,
      lost: 0,
      doubled: 0,
      problems: [],
    });
  });

  it('counts an Opportunity without an order, or without its number on the record, as lost', () => {
    const outcome = verifyOutcome(
      input({
        opportunities: [
          { Id: A, Order_Number__c: 'SO-1' },
          { Id: B, Order_Number__c: null },
          { Id: C, Order_Number__c: 'SO-9' },
        ],
        orders: [
          { orderNumber: 'SO-1', opportunityId: A },
          { orderNumber: 'SO-3', opportunityId: C },
        ],
      }),
    );
    expect(outcome).toMatchObject({ lost: 2, doubled: 0, callbacks: 1 });
    expect(outcome.problems.join()).toContain(B);
  });

  it('counts two ERP orders for one Opportunity as doubled', () => {
    const base = input();
    const outcome = verifyOutcome(
      input({ orders: [...base.orders, { orderNumber: 'SO-4', opportunityId: A }] }),
    );
    expect(outcome).toMatchObject({ doubled: 1, lost: 0, orders: 4 });
    expect(outcome.problems.join()).toMatch(/more than one ERP order/);
  });

  it('fails on a closed Opportunity missing from the read-back, a notification not done, or one left in the emulator', () => {
    const outcome = verifyOutcome(
      input({
        closed: 4,
        inbox: { received: 0, processing: 0, retry_wait: 1, done: 3, dead: 2, held: 0 },
        emulatorQueued: 1,
        emulatorDropped: 1,
      }),
    );
    expect(outcome.lost).toBe(1);
    expect(outcome.problems).toEqual([
      '1 closed Opportunities are not Closed Won in the emulator',
      'inbox notifications not done: 1 retry_wait, 2 dead',
      '1 notifications still queued in the emulator',
      '1 notifications dropped by the emulator',
    ]);
  });
});

describe('the chaos plan', () => {
  it('is the same for the same seed and different for another', () => {
    const plan = planChaos({ seed: 5, kills: 20, processes: 3 });
    expect(planChaos({ seed: 5, kills: 20, processes: 3 })).toEqual(plan);
    expect(planChaos({ seed: 6, kills: 20, processes: 3 })).not.toEqual(plan);
  });

  it('kills K times while messages flow, picks among the processes, and expires sessions at least once', () => {
    const plan = planChaos({ seed: 11, kills: 20, processes: 3 });
    expect(plan.kills).toHaveLength(20);
    for (const kill of plan.kills) {
      expect(kill.atProgress).toBeGreaterThan(0);
      expect(kill.atProgress).toBeLessThan(1);
      expect([0, 1, 2]).toContain(kill.victim);
    }
    expect(new Set(plan.kills.map((k) => k.victim)).size).toBeGreaterThan(1);
    expect(plan.sessionExpiries.length).toBeGreaterThanOrEqual(1);
  });
});

describe('the log scan', () => {
  it('finds the client secret, private keys and token-shaped strings, naming the file but not the secret', () => {
    const dir = makeTempDir();
    try {
      const clean = dir.file('clean.log');
      const dirty = dir.file('dirty.log');
      writeFileSync(clean, '{"event":"relay.listening","clientSecret":"[redacted]"}\n');
      writeFileSync(
        dirty,
        'secret s3cr3t-value here\n-----BEGIN PRIVATE KEY-----\nBearer 00D5g000004XyZ1!AQ0AQabcdefgh\n',
      );
      const findings = scanLogsForSecrets([clean, dirty], ['s3cr3t-value']);
      expect(findings).toEqual([
        'dirty.log holds the client secret',
        'dirty.log holds a private key',
        'dirty.log holds a Salesforce session or access token',
      ]);
      expect(findings.join()).not.toContain('s3cr3t-value');
    } finally {
      dir.remove();
    }
  });
});
