import { afterEach, describe, expect, it } from 'vitest';
import { renderOutboundMessage } from '../../src/soap/index.ts';
import { faultOf, isAck, postSoap, SAMPLE_ORG_ID, relayTest } from '../support/relay.ts';
import { killRelay, runCli, spawnRelay, type RelayProcess } from '../support/relay-process.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';
import { messageWith, WSDL_FIXTURES, wsdlText } from '../support/wsdl-fixtures.ts';

describe.each(WSDL_FIXTURES)('a listener configured with $file', (fixture) => {
  let sent = 0;
  /** Each call is a new notification (its own id), as each Salesforce event is. */
  const send = (
    endpoint: string,
    fields: Record<string, string | null>,
    type = fixture.objectType,
  ) => {
    const id = `04l5g00000AbC${String(++sent).padStart(2, '0')}AAV`;
    return postSoap(
      endpoint,
      renderOutboundMessage(messageWith(type, fixture.recordId, fields, id)),
    );
  };

  relayTest(
    'acks every well-formed message; a mismatch is stored held with the field named, an extra field is accepted',
    async ({ startRelay }) => {
      const running = await startRelay({ wsdl: fixture.path });
      const r = running;
      const endpoint = `${r.url}/soap/outbound`;
      const stateOf = async () => (await r.relay.inbox.list({ limit: 1 }))[0];

      // A field added to the outbound message after the WSDL was downloaded: stored as sent.
      expect(isAck(await send(endpoint, { ...fixture.matching, Not_In_Wsdl__c: 'x' }))).toBe(true);
      expect(await stateOf()).toMatchObject({ state: 'received' });

      const [badField, badValue] = fixture.badValue;
      expect(isAck(await send(endpoint, { ...fixture.matching, [badField]: badValue }))).toBe(true);
      const held = await stateOf();
      expect(held).toMatchObject({ state: 'held' });
      expect(held?.lastError).toMatch(new RegExp(`^CONTRACT_MISMATCH: field ${badField}`));

      const otherType = fixture.objectType === 'Account' ? 'Contact' : 'Account';
      expect(isAck(await send(endpoint, { Name: 'x' }, otherType))).toBe(true);
      expect((await stateOf())?.lastError).toContain(`is a ${otherType}`);
      expect(await r.relay.inbox.countByState()).toMatchObject({ received: 1, held: 2 });
      const metrics = await (await fetch(`${r.url}/metrics`)).text();
      expect(metrics).toMatch(/^sfrelay_notifications_held_total 2$/m);
      expect(metrics).toMatch(/^sfrelay_inbox_depth\{state="held"\} 2$/m);

      const served = await fetch(`${endpoint}?wsdl`);
      const text = await served.text();
      expect(text).toContain(`name="${fixture.objectType}"`);
      expect(text).toContain(`location="${endpoint}"`);
      // Byte for byte the operator's file apart from the address.
      expect(text.replace(/location="[^"]*"/, '')).toBe(
        wsdlText(fixture).replace(/location="[^"]*"/, ''),
      );
    },
  );

  relayTest(
    'a strict user can hold unknown fields, or refuse mismatches outright',
    async ({ startRelay }) => {
      const running = await startRelay({
        wsdl: fixture.path,
        contract: { unknownFields: 'hold', onMismatch: 'refuse' },
      });
      const endpoint = `${running.url}/soap/outbound`;
      const reply = await send(endpoint, { ...fixture.matching, Not_In_Wsdl__c: 'x' });
      expect(reply.status).toBe(500);
      expect(faultOf(reply)).toEqual({ faultCode: 'Client', errorCode: 'SOAP_CONTRACT_MISMATCH' });
      expect(reply.body).toContain('Not_In_Wsdl__c');
      expect(running.rowCount()).toBe(0);
      expect(isAck(await send(endpoint, fixture.matching))).toBe(true);
    },
  );
});

describe('without a configured WSDL', () => {
  relayTest(
    'enforces nothing beyond the envelope: any sObject type and any fields are stored as sent',
    async ({ startRelay }) => {
      const running = await startRelay();
      const endpoint = `${running.url}/soap/outbound`;
      const opportunity = '0065g00000Q1w2eAAB';
      const fields = {
        Amount: 'lots',
        StageName: 'Closed Won',
        LeadSource: 'Web',
        IsWon: 'true',
        Probability: '100',
        Contract_Term__c: '24 months',
      };
      expect(
        isAck(
          await postSoap(
            endpoint,
            renderOutboundMessage(messageWith('Opportunity', opportunity, fields)),
          ),
        ),
      ).toBe(true);
      expect(
        isAck(
          await postSoap(
            endpoint,
            renderOutboundMessage(
              messageWith('Case', '5005g00000Q1w2eAAB', { Subject: 'x' }, '04l5g00000AbC99AAV'),
            ),
          ),
        ),
      ).toBe(true);
      const stored = await running.relay.inbox.list();
      expect(stored.map((m) => [m.objectType, m.state])).toEqual([
        ['Case', 'received'],
        ['Opportunity', 'received'],
      ]);
      expect(stored[1]?.fields).toEqual(fields);
    },
  );
});

describe('sf-relay start --wsdl', () => {
  let relay: RelayProcess | undefined;
  let dir: TempDir | undefined;
  afterEach(async () => {
    await killRelay(relay);
    relay = undefined;
    dir?.remove();
    dir = undefined;
  });

  it('serves the given WSDL and holds mismatching messages, listed by sf-relay messages', async () => {
    const invoice = WSDL_FIXTURES.find((fixture) => fixture.objectType === 'Invoice__c');
    if (!invoice) throw new Error('no Invoice__c fixture');
    dir = makeTempDir();
    relay = await spawnRelay(
      ['--role', 'listener', '--db', `sqlite:${dir.file('relay.db')}`, '--wsdl', invoice.path],
      { SFRELAY_ALLOWED_ORGANIZATION_IDS: SAMPLE_ORG_ID },
    );
    const endpoint = `${relay.url}/soap/outbound`;
    expect(await (await fetch(`${endpoint}?wsdl`)).text()).toContain('name="Invoice__c"');
    const send = (type: string) =>
      postSoap(
        endpoint,
        renderOutboundMessage(
          messageWith(
            type,
            invoice.recordId,
            invoice.matching,
            `04l5g00000AbC${type.slice(0, 2)}AAV`,
          ),
        ),
      );
    expect(isAck(await send('Invoice__c'))).toBe(true);
    expect(isAck(await send('Opportunity'))).toBe(true);
    const listed = await runCli([
      'messages',
      '--db',
      `sqlite:${dir.file('relay.db')}`,
      '--state',
      'held',
      '--json',
    ]);
    expect(listed.stdout).toContain('CONTRACT_MISMATCH: the sObject is a Opportunity');
  });

  it('refuses to start with a file that is not an outbound-message WSDL (exit code 2)', async () => {
    const run = await runCli(['start', '--role', 'listener', '--wsdl', 'package.json'], {
      SFRELAY_ALLOWED_ORGANIZATION_IDS: SAMPLE_ORG_ID,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/wsdl: package\.json is not a readable WSDL/);
  });
});
