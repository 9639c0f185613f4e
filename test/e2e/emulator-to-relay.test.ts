import { Connection } from 'jsforce';
import { afterEach, describe, expect } from 'vitest';
import type { RunningEmulator } from '../../src/emulator/start-emulator.ts';
import { startTestEmulator } from '../support/emulator.ts';
import { relayTest } from '../support/relay.ts';
import { waitFor } from '../support/wait-for.ts';

let emulator: RunningEmulator | undefined;
// Runs before the fixture stops the relay, so the emulator stops sending first.
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('emulator → relay over real HTTP', () => {
  relayTest(
    'stores every Opportunity closed through jsforce exactly once, even when each message arrives twice',
    async ({ startRelay }) => {
      const relay = await startRelay({ logLevel: 'warn' });
      emulator = await startTestEmulator({
        delivery: { pollMs: 20, timeoutSeconds: 10, maxConcurrent: 4 },
        outboundMessages: [
          { name: 'Opportunity_Closed_Won', endpointUrl: `${relay.url}/soap/outbound` },
        ],
      });
      emulator.faults.duplicateDeliveries = true;
      const conn = new Connection({
        instanceUrl: emulator.url,
        accessToken: emulator.accessToken,
        version: '60.0',
      });
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const created = await conn
          .sobject('Opportunity')
          .create({ Name: `Deal ${i}`, StageName: 'Negotiation/Review', CloseDate: '2026-12-15' });
        ids.push(created.id ?? '');
      }
      for (const id of ids)
        await conn.sobject('Opportunity').update({ Id: id, StageName: 'Closed Won' });

      const inbox = relay.relay.inbox;
      await waitFor(
        async () => (await inbox.countByState()).received === 20 && emulator?.queue.size === 0,
        'all 20 to be stored and acked',
      );
      const stored = await inbox.list({ limit: 100 });
      expect(new Set(stored.map((m) => m.recordId))).toEqual(new Set(ids));
      expect(
        stored.every((m) => m.organizationId === emulator?.organizationId && !m.hasSessionId),
      ).toBe(true);
      expect(stored.every((m) => m.fields.StageName === 'Closed Won')).toBe(true);
      expect(emulator.sender.stats.messagesSent).toBe(2 * emulator.sender.stats.messagesAcked);
      expect(relay.rowCount()).toBe(20);
    },
  );
});
