import { afterEach, describe, expect, it } from 'vitest';
import { renderOutboundMessage } from '../../src/soap/index.ts';
import {
  faultOf,
  isAck,
  postSoap,
  SAMPLE_ORG_ID,
  startTestRelay,
  type TestRelay,
} from '../support/relay.ts';
import { killRelay, runCli, spawnRelay, type RelayProcess } from '../support/relay-process.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';
import { messageWith, WSDL_FIXTURES, wsdlText } from '../support/wsdl-fixtures.ts';

let running: TestRelay | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe.each(WSDL_FIXTURES)('a listener configured with $file', (fixture) => {
  it('acks a matching message, refuses mismatching ones with a fault naming the field, and serves the WSDL', async () => {
    running = await startTestRelay({ wsdl: fixture.path });
    const endpoint = `${running.url}/soap/outbound`;
    const send = (fields: Record<string, string | null>, type = fixture.objectType) =>
      postSoap(endpoint, renderOutboundMessage(messageWith(type, fixture.recordId, fields)));

    const [badField, badValue] = fixture.badValue;
    const refusals = [
      { fields: { ...fixture.matching, Not_In_Wsdl__c: 'x' }, names: 'Not_In_Wsdl__c' },
      { fields: { ...fixture.matching, [badField]: badValue }, names: badField },
    ];
    for (const { fields, names } of refusals) {
      const reply = await send(fields);
      expect(reply.status).toBe(500);
      expect(faultOf(reply)).toEqual({ faultCode: 'Client', errorCode: 'SOAP_CONTRACT_MISMATCH' });
      expect(reply.body).toContain(names);
    }
    const otherType = fixture.objectType === 'Account' ? 'Contact' : 'Account';
    const wrongType = await send({ Name: 'x' }, otherType);
    expect(faultOf(wrongType).errorCode).toBe('SOAP_CONTRACT_MISMATCH');
    expect(wrongType.body).toContain(`is a ${otherType}`);
    expect(running.rowCount()).toBe(0);

    expect(isAck(await send(fixture.matching))).toBe(true);
    expect(running.rowCount()).toBe(1);

    const served = await fetch(`${endpoint}?wsdl`);
    const text = await served.text();
    expect(text).toContain(`name="${fixture.objectType}"`);
    expect(text).toContain(`location="${endpoint}"`);
    // Byte for byte the operator's file apart from the address.
    expect(text.replace(/location="[^"]*"/, '')).toBe(
      wsdlText(fixture).replace(/location="[^"]*"/, ''),
    );
  });
});

describe('the default WSDL', () => {
  it('holds messages to the bundled Opportunity contract when no WSDL is configured', async () => {
    running = await startTestRelay();
    const endpoint = `${running.url}/soap/outbound`;
    const opportunity = '0065g00000Q1w2eAAB';
    const ok = await postSoap(
      endpoint,
      renderOutboundMessage(
        messageWith('Opportunity', opportunity, { Amount: '12000.0', StageName: 'Closed Won' }),
      ),
    );
    expect(isAck(ok)).toBe(true);
    const refused = await postSoap(
      endpoint,
      renderOutboundMessage(messageWith('Opportunity', opportunity, { Amount: 'lots' })),
    );
    expect(faultOf(refused).errorCode).toBe('SOAP_CONTRACT_MISMATCH');
    expect(refused.body).toContain('Amount');
  });
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

  it('serves the given WSDL and holds messages to it, without codegen', async () => {
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
        renderOutboundMessage(messageWith(type, invoice.recordId, invoice.matching)),
      );
    expect(isAck(await send('Invoice__c'))).toBe(true);
    expect(faultOf(await send('Opportunity')).errorCode).toBe('SOAP_CONTRACT_MISMATCH');
  });

  it('refuses to start with a file that is not an outbound-message WSDL (exit code 2)', async () => {
    const run = await runCli(['start', '--role', 'listener', '--wsdl', 'package.json'], {
      SFRELAY_ALLOWED_ORGANIZATION_IDS: SAMPLE_ORG_ID,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/wsdl: package\.json is not a readable WSDL/);
  });
});
