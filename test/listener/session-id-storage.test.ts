import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { startRelayUnderAttack, type RelayUnderAttack } from '../hostile/hostile-relay.ts';
import { isAck, postSoap } from '../support/relay.ts';
import { sample } from '../support/samples.ts';

let relay: RelayUnderAttack | undefined;
afterEach(async () => {
  await relay?.stop();
  relay = undefined;
});

/** The SessionIds in the relay's inbox file, read through a connection of our own. */
function storedSessionIds(r: RelayUnderAttack): (string | null)[] {
  const db = new Database(r.dir.file('relay.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT session_id FROM notifications').all() as {
      session_id: string | null;
    }[];
    return rows.map((row) => row.session_id);
  } finally {
    db.close();
  }
}

describe('the SessionId of an outbound message', () => {
  it('is never stored unless legacy mode will use it', async () => {
    relay = await startRelayUnderAttack();
    expect(
      isAck(await postSoap(`${relay.url}/soap/outbound`, sample('opportunity-closed-won.xml'))),
    ).toBe(true);
    expect(storedSessionIds(relay)).toEqual([null]);
  }, 60_000);

  it('is stored in legacy mode, which calls back with it', async () => {
    relay = await startRelayUnderAttack({}, { salesforce: { useMessageSessionId: true } });
    expect(
      isAck(await postSoap(`${relay.url}/soap/outbound`, sample('opportunity-closed-won.xml'))),
    ).toBe(true);
    expect(storedSessionIds(relay)).toEqual([expect.stringMatching(/^00D/)]);
  }, 60_000);
});
