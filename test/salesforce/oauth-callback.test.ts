import { describe, expect, it } from 'vitest';
import type { OAuthConfig } from '../../src/config/schema.ts';
import { SalesforceAuthError } from '../../src/salesforce/index.ts';
import {
  CC_CLIENT_ID,
  JWT_CLIENT_ID,
  clientCredentials,
  createOpportunity,
  jwtBearer,
  makeClient,
  rejectionOf,
  salesforceConfig,
  orgTest,
  targetOf,
  tokenRequests,
  type TestOrg,
} from './salesforce-org.ts';

let org: TestOrg;

orgTest.beforeAll(({ org: started }) => {
  org = started;
});

const flows: readonly [string, (org: TestOrg) => OAuthConfig][] = [
  ['client credentials', (o) => clientCredentials(o)],
  ['JWT bearer', (o) => jwtBearer(o)],
];
const callbacks = ['rest', 'soap', 'apex-rest'] as const;
/** How the emulator counts the write each callback mode makes. */
const WRITE_CALL = {
  rest: 'rest PATCH Opportunity',
  soap: 'soap POST u/:version',
  'apex-rest': 'apexrest POST sfrelay/orders',
} as const;

function callsOf(org: TestOrg, key: string): number {
  return org.emulator.counters.snapshot().calls[key] ?? 0;
}

describe.each(flows)('OAuth %s', (flow, oauthOf) => {
  it.each(callbacks)(
    'reads the Opportunity back with its line items and writes the order result by %s',
    async (callback) => {
      const client = makeClient(org, salesforceConfig({ oauth: oauthOf(org), callback }));
      const orderNumber = `SO-${flow}-${callback}`;
      const opportunityId = createOpportunity(org, `Deal by ${callback}`);

      const snapshot = await client.readOpportunity(targetOf(org), opportunityId);
      expect(snapshot).toMatchObject({
        id: opportunityId,
        name: `Deal by ${callback}`,
        stageName: 'Closed Won',
        amount: 12000,
        closeDate: '2026-12-01',
        accountName: 'Acme Telecom',
        orderNumber: null,
        orderStatus: null,
      });
      expect(snapshot?.accountId).toMatch(/^001/);
      expect(snapshot?.lineItems).toHaveLength(2);
      expect(snapshot?.lineItems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            productCode: 'FIB-1G',
            productName: 'Fibre 1 Gbps',
            quantity: 3,
            unitPrice: 49.5,
            totalPrice: 148.5,
          }),
          expect.objectContaining({ quantity: 1, unitPrice: 40, totalPrice: 40 }),
        ]),
      );

      const writesBefore = callsOf(org, WRITE_CALL[callback]);
      await client.writeOrderResult(targetOf(org), opportunityId, {
        orderNumber,
        orderStatus: 'Created',
      });
      const record = org.emulator.store.get(opportunityId);
      expect(record?.values.get('Order_Number__c')).toBe(orderNumber);
      expect(record?.values.get('Order_Status__c')).toBe('Created');
      expect(org.emulator.counters.writesOf(opportunityId).updates).toBe(1);
      expect(callsOf(org, WRITE_CALL[callback]) - writesBefore).toBe(1);

      const after = await client.readOpportunity(targetOf(org), opportunityId);
      expect(after).toMatchObject({ orderNumber, orderStatus: 'Created' });
    },
  );
});

describe('token management', () => {
  it('asks for one token and reuses it for many calls', async () => {
    const client = makeClient(org, salesforceConfig({ oauth: clientCredentials(org) }));
    const opportunityId = createOpportunity(org);
    const before = tokenRequests(org);
    for (let i = 0; i < 5; i++) await client.readOpportunity(targetOf(org), opportunityId);
    await Promise.all(
      Array.from({ length: 5 }, () => client.readOpportunity(targetOf(org), opportunityId)),
    );
    expect(tokenRequests(org) - before).toBe(1);
  });

  it('renews the token once when every session has expired, for ten calls at once', async () => {
    const client = makeClient(org, salesforceConfig({ oauth: jwtBearer(org) }));
    const opportunityId = createOpportunity(org);
    await client.readOpportunity(targetOf(org), opportunityId);
    org.emulator.authority.expireAll();
    const before = tokenRequests(org);

    const snapshots = await Promise.all(
      Array.from({ length: 10 }, () => client.readOpportunity(targetOf(org), opportunityId)),
    );
    expect(snapshots.every((s) => s?.id === opportunityId)).toBe(true);
    expect(tokenRequests(org) - before).toBe(1);
  });

  it('renews the token when an API call answers INVALID_SESSION_ID', async () => {
    const client = makeClient(org, salesforceConfig({ oauth: clientCredentials(org) }));
    const opportunityId = createOpportunity(org);
    await client.readOpportunity(targetOf(org), opportunityId);
    const before = tokenRequests(org);
    org.emulator.faults.inject('invalid_session', 1);
    await client.writeOrderResult(targetOf(org), opportunityId, {
      orderNumber: 'SO-renewed',
      orderStatus: 'Created',
    });
    expect(tokenRequests(org) - before).toBe(1);
    expect(org.emulator.counters.writesOf(opportunityId).updates).toBe(1);
  });

  it('reports a token refused right after it was issued as an OAuth problem', async () => {
    const client = makeClient(org, salesforceConfig({ oauth: clientCredentials(org) }));
    const opportunityId = createOpportunity(org);
    org.emulator.faults.inject('invalid_session', 2);
    const error = await rejectionOf(client.readOpportunity(targetOf(org), opportunityId));
    expect(error).toBeInstanceOf(SalesforceAuthError);
    expect(error.message).toContain(CC_CLIENT_ID);
  });

  it('refuses a wrong client secret with an error naming the client id, not the secret', async () => {
    const wrongSecret = 'not-the-real-secret-123';
    const client = makeClient(
      org,
      salesforceConfig({ oauth: clientCredentials(org, { clientSecret: wrongSecret }) }),
    );
    const error = await rejectionOf(client.readOpportunity(targetOf(org), createOpportunity(org)));
    expect(error).toBeInstanceOf(SalesforceAuthError);
    expect(error).toMatchObject({ code: 'SALESFORCE_AUTH_FAILED' });
    expect(error.message).toContain(CC_CLIENT_ID);
    expect(error.message).toContain('client_credentials');
    expect(error.message).toContain(org.emulator.organizationId.slice(0, 15));
    expect(error.message).toContain('invalid_client');
    expect(error.message).not.toContain(wrongSecret);
    expect(error.message).not.toContain(org.clientSecret);
  });

  it('asks again after a refusal instead of caching it', async () => {
    let secret = 'wrong-secret-for-now';
    const config = salesforceConfig({ oauth: clientCredentials(org) });
    const client = makeClient(org, {
      ...config,
      oauth: {
        ...clientCredentials(org),
        get clientSecret() {
          return secret;
        },
      },
    });
    const opportunityId = createOpportunity(org);
    await expect(client.readOpportunity(targetOf(org), opportunityId)).rejects.toBeInstanceOf(
      SalesforceAuthError,
    );
    secret = org.clientSecret;
    await expect(client.readOpportunity(targetOf(org), opportunityId)).resolves.toMatchObject({
      id: opportunityId,
    });
  });

  it('refuses a JWT signed by a key the app does not know', async () => {
    const stranger = (await import('../support/certificates.ts')).makeKeyPair();
    const client = makeClient(
      org,
      salesforceConfig({
        oauth: jwtBearer(org, { privateKeyFile: undefined, privateKeyEnv: 'X' }),
      }),
      { readPrivateKey: async () => stranger.privateKeyPem },
    );
    const error = await rejectionOf(client.readOpportunity(targetOf(org), createOpportunity(org)));
    expect(error).toBeInstanceOf(SalesforceAuthError);
    expect(error.message).toContain(JWT_CLIENT_ID);
    expect(error.message).toContain('jwt_bearer');
    expect(error.message).toContain('invalid_grant');
  });

  it('reads the JWT key from the environment variable the config names', async () => {
    const name = 'SFRELAY_TEST_JWT_KEY';
    process.env[name] = org.privateKeyPem.replaceAll('\n', '\\n');
    try {
      const client = makeClient(
        org,
        salesforceConfig({
          oauth: jwtBearer(org, { privateKeyFile: undefined, privateKeyEnv: name }),
        }),
      );
      const opportunityId = createOpportunity(org);
      await expect(client.readOpportunity(targetOf(org), opportunityId)).resolves.toMatchObject({
        id: opportunityId,
      });
    } finally {
      delete process.env[name];
    }
  });

  it('names the missing key file without failing in some other way', async () => {
    const client = makeClient(
      org,
      salesforceConfig({ oauth: jwtBearer(org, { privateKeyFile: '/nonexistent/app.key' }) }),
    );
    const error = await rejectionOf(client.readOpportunity(targetOf(org), createOpportunity(org)));
    expect(error).toBeInstanceOf(SalesforceAuthError);
    expect(error.message).toContain('/nonexistent/app.key');
  });

  it('uses the orgs entry for its organisation before the default OAuth', async () => {
    const client = makeClient(
      org,
      salesforceConfig({
        oauth: clientCredentials(org, { clientSecret: 'default-is-wrong-here' }),
        orgs: [{ organizationId: org.emulator.organizationId, oauth: jwtBearer(org) }],
      }),
    );
    const opportunityId = createOpportunity(org);
    await expect(client.readOpportunity(targetOf(org), opportunityId)).resolves.toMatchObject({
      id: opportunityId,
    });
  });

  it('refuses to call an org that has no OAuth configured', async () => {
    const client = makeClient(org, salesforceConfig({}));
    const error = await rejectionOf(client.readOpportunity(targetOf(org), createOpportunity(org)));
    expect(error).toBeInstanceOf(SalesforceAuthError);
    expect(error.message).toContain(org.emulator.organizationId.slice(0, 15));
  });
});
