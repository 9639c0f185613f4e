import { execFileSync } from 'node:child_process';
import { immutableFilesWork } from '../../src/chaos/disruptions.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { renderOutboundMessage, type OutboundMessage } from '../../src/soap/index.ts';
import { countRows, faultOf, isAck, postSoap, SAMPLE_ORG_ID } from '../support/relay.ts';
import { killRelay, spawnRelay, type RelayProcess } from '../support/relay-process.ts';
import { sample } from '../support/samples.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';
import Database from 'better-sqlite3';

const ENV = {
  SFRELAY_ALLOWED_ORGANIZATION_IDS: SAMPLE_ORG_ID,
  SFRELAY_LOG_LEVEL: 'info',
  SFRELAY_ROLE: 'listener',
};

let dir: TempDir | undefined;
let relay: RelayProcess | undefined;
afterEach(async () => {
  await killRelay(relay);
  relay = undefined;
  dir?.remove();
  dir = undefined;
});

function batch(index: number, size: number): OutboundMessage {
  const tag = String(index).padStart(4, '0');
  return {
    organizationId: SAMPLE_ORG_ID,
    actionId: '04k5g000000AbCdAAK',
    sessionId: null,
    enterpriseUrl: 'https://acme.my.salesforce.com/services/Soap/c/60.0/00D5g000004XyZ1',
    partnerUrl: 'https://acme.my.salesforce.com/services/Soap/u/60.0/00D5g000004XyZ1',
    notifications: Array.from({ length: size }, (_, i) => ({
      id: `04l5g0000${tag}${String(i).padStart(2, '0')}AAV`.slice(0, 18),
      sObject: {
        type: 'Opportunity',
        id: `0065g0000${tag}${String(i).padStart(2, '0')}AAB`.slice(0, 18),
        fields: { StageName: 'Closed Won' },
      },
    })),
  };
}

function storedIds(dbPath: string): Set<string> {
  const db = new Database(dbPath, { readonly: true });
  try {
    return new Set(
      (db.prepare('SELECT id FROM notifications').all() as { id: string }[]).map((row) => row.id),
    );
  } finally {
    db.close();
  }
}

describe('crash safety of a real sf-relay process', () => {
  it('keeps every acknowledged notification when killed with SIGKILL straight after an Ack', async () => {
    dir = makeTempDir();
    const dbPath = dir.file('relay.db');
    relay = await spawnRelay(['--db', `sqlite:${dbPath}`], ENV);
    const url = `${relay.url}/soap/outbound`;
    const acked: OutboundMessage[] = [];
    let killed = false;

    // Eight senders in a loop; the process dies the moment the fifth Ack is back, with other
    // messages mid-flight. Only what was acked is promised.
    const sender = async (worker: number): Promise<void> => {
      for (let i = 0; !killed && i < 200; i++) {
        const message = batch(worker * 200 + i, 10);
        try {
          const reply = await postSoap(url, renderOutboundMessage(message));
          if (isAck(reply)) {
            acked.push(message);
            if (acked.length === 5 && !killed) {
              killed = true;
              relay?.child.kill('SIGKILL');
            }
          }
        } catch {
          return; // connection reset by the kill
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, worker) => sender(worker)));
    expect(await relay.exited).toBe('SIGKILL');

    const stored = storedIds(dbPath);
    const ackedIds = acked.flatMap((m) => m.notifications.map((n) => n.id));
    expect(ackedIds.length).toBeGreaterThanOrEqual(50);
    expect(ackedIds.filter((id) => !stored.has(id))).toEqual([]);

    // And a restarted relay on the same file takes up where it stopped.
    relay = await spawnRelay(['--db', `sqlite:${dbPath}`], ENV);
    expect(isAck(await postSoap(`${relay.url}/soap/outbound`, sample('no-session-id.xml')))).toBe(
      true,
    );
    expect(countRows(dbPath)).toBe(stored.size + 1);
  });

  const chattrWorks = immutableFilesWork();

  it.skipIf(!chattrWorks)(
    'answers a fault, never an Ack, while the database files cannot be written',
    async () => {
      dir = makeTempDir();
      const dbPath = dir.file('relay.db');
      relay = await spawnRelay(['--db', `sqlite:${dbPath}`], ENV);
      const url = `${relay.url}/soap/outbound`;
      expect(isAck(await postSoap(url, sample('no-session-id.xml')))).toBe(true);

      // Immutable files refuse writes even to root: the disk write fails under the relay.
      const files = [dbPath, `${dbPath}-wal`];
      execFileSync('chattr', ['+i', ...files]);
      try {
        const reply = await postSoap(url, sample('batch-of-three-other-prefixes.xml'));
        expect(reply.status).toBe(500);
        expect(faultOf(reply).faultCode).toBe('Server');
        expect(reply.body).not.toContain('<Ack>');
        expect((await fetch(`${relay.url}/readyz`)).status).toBe(503);
      } finally {
        execFileSync('chattr', ['-i', ...files]);
      }
      expect(countRows(dbPath)).toBe(1);
      // Salesforce's retry succeeds once the disk is back.
      expect(isAck(await postSoap(url, sample('batch-of-three-other-prefixes.xml')))).toBe(true);
      expect(countRows(dbPath)).toBe(4);
      expect((await fetch(`${relay.url}/readyz`)).status).toBe(200);
    },
  );
});
