import * as soap from 'soap';
import { describe, expect } from 'vitest';
import { SAMPLE_ORG_ID, relayTest } from '../support/relay.ts';

describe('contract checked by node-soap, a client no one here wrote', () => {
  relayTest(
    'builds a client from our ?wsdl, sends a notification and receives Ack true',
    async ({ startRelay }) => {
      const running = await startRelay();
      const client = await soap.createClientAsync(`${running.url}/soap/outbound?wsdl`);
      const [result] = (await client.notificationsAsync({
        OrganizationId: SAMPLE_ORG_ID,
        ActionId: '04k5g000000AbCdAAK',
        SessionId: { attributes: { 'xsi:nil': 'true' } },
        EnterpriseUrl: 'https://acme.my.salesforce.com/services/Soap/c/60.0/00D5g000004XyZ1',
        PartnerUrl: 'https://acme.my.salesforce.com/services/Soap/u/60.0/00D5g000004XyZ1',
        Notification: [
          {
            Id: '04l5g00000NsOaPAAV',
            // node-soap writes elements inherited from a base type (`Id` comes from ens:sObject)
            // in the parent's namespace; the prefixed key puts it where the WSDL says it lives.
            sObject: {
              'ens:Id': '0065g00000NsOaPAAB',
              Name: 'Via node-soap',
              StageName: 'Closed Won',
            },
          },
        ],
      })) as [{ Ack: boolean }];
      expect(result.Ack).toBe(true);
      const [stored] = await running.relay.inbox.list();
      expect(stored).toMatchObject({
        id: '04l5g00000NsOaPAAV',
        objectType: 'Opportunity',
        recordId: '0065g00000NsOaPAAB',
        fields: { Name: 'Via node-soap', StageName: 'Closed Won' },
        hasSessionId: false,
        state: 'received',
      });
    },
  );
});
