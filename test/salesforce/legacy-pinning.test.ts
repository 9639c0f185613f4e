import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { salesforceConfigSchema } from '../../src/config/index.ts';
import { SalesforcePermanentError } from '../../src/salesforce/index.ts';
import {
  clientCredentials,
  createOpportunity,
  makeClient,
  rejectionOf,
  salesforceConfig,
  orgTest,
  targetOf,
  type TestOrg,
} from './salesforce-org.ts';

/**
 * Legacy mode: a forged message names the host the worker calls. The SessionId must only ever
 * reach the host pinned for the org, over https on 443 (the emulator on loopback excepted), and
 * must belong to the org the message claims. Each failure is permanent, so the worker
 * dead-letters the notification with the code as its reason.
 */
let org: TestOrg;
/** Another server on this machine, standing in for an attacker's host: it must hear nothing. */
let trap: Server;
let trapped: string[];
let trapUrl: string;

orgTest.beforeAll(async ({ org: started }) => {
  org = started;
  trapped = [];
  trap = createServer((request, response) => {
    trapped.push(String(request.headers.authorization ?? ''));
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.2', resolve));
  trapUrl = `http://127.0.0.2:${(trap.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => trap.close(resolve));
});

const org15 = (): string => org.emulator.organizationId.slice(0, 15);
const liveSession = (): string => org.emulator.authority.issue(org.userId).accessToken;
const forgedTarget = (partnerUrl: string, sessionId = liveSession()) => ({
  ...targetOf(org, sessionId),
  partnerUrl,
});

async function expectPermanent(promise: Promise<unknown>, code: string): Promise<Error> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(SalesforcePermanentError);
  expect(error).toMatchObject({ code });
  expect(error.message).not.toContain(liveSession().slice(16));
  return error;
}

describe('legacy mode sends a SessionId only where it belongs', () => {
  it('never sends a genuine SessionId to a host the message names but nobody pinned', async () => {
    const client = makeClient(org, salesforceConfig({ useMessageSessionId: true }));
    const opportunityId = createOpportunity(org);
    await expectPermanent(
      client.readOpportunity(
        forgedTarget(`${trapUrl}/services/Soap/u/60.0/${org15()}`),
        opportunityId,
      ),
      'SESSION_HOST_NOT_PINNED',
    );
    await expectPermanent(
      client.writeOrderResult(
        forgedTarget(`${trapUrl}/services/Soap/u/60.0/${org15()}`),
        opportunityId,
        {
          orderNumber: 'SO-forged',
          orderStatus: 'Created',
        },
      ),
      'SESSION_HOST_NOT_PINNED',
    );
    expect(trapped).toEqual([]);
  });

  it('learns the pinned host from OAuth when orgs[].instanceHost is not set', async () => {
    const config = salesforceConfig({
      useMessageSessionId: true,
      orgs: [{ organizationId: org.emulator.organizationId, oauth: clientCredentials(org) }],
    });
    const client = makeClient(org, config);
    const opportunityId = createOpportunity(org);
    await expectPermanent(
      client.readOpportunity(
        forgedTarget(`${trapUrl}/services/Soap/u/60.0/${org15()}`),
        opportunityId,
      ),
      'SESSION_HOST_NOT_PINNED',
    );
    expect(trapped).toEqual([]);
    await expect(
      client.readOpportunity(targetOf(org, liveSession()), opportunityId),
    ).resolves.toMatchObject({ id: opportunityId });
  });

  it('refuses to pin anything without instanceHost or OAuth, saying what to set', async () => {
    const client = makeClient(
      org,
      salesforceConfig({
        useMessageSessionId: true,
        orgs: [{ organizationId: org.emulator.organizationId }],
      }),
    );
    const error = await expectPermanent(
      client.readOpportunity(targetOf(org, liveSession()), createOpportunity(org)),
      'SESSION_HOST_NOT_PINNED',
    );
    expect(error.message).toContain('instanceHost');
  });

  it.each([
    ['plain http', 'http://acme.my.salesforce.com/services/Soap/u/60.0/ORG'],
    ['https on another port', 'https://acme.my.salesforce.com:8443/services/Soap/u/60.0/ORG'],
  ])('refuses %s off loopback, even for the pinned host', async (_name, url) => {
    const client = makeClient(
      org,
      salesforceConfig({
        useMessageSessionId: true,
        orgs: [
          { organizationId: org.emulator.organizationId, instanceHost: 'acme.my.salesforce.com' },
        ],
      }),
    );
    await expectPermanent(
      client.readOpportunity(forgedTarget(url.replace('ORG', org15())), createOpportunity(org)),
      'SESSION_URL_INSECURE',
    );
  });

  it("refuses a SessionId whose 00D…! prefix is another org's", async () => {
    const client = makeClient(org, salesforceConfig({ useMessageSessionId: true }));
    const target = targetOf(org, `00D000000000001!AQforeignSession`);
    await expectPermanent(
      client.readOpportunity(target, createOpportunity(org)),
      'SESSION_ORG_MISMATCH',
    );
  });
});

describe('http login and instance URLs', () => {
  const oauth = (loginUrl: string) => ({
    oauth: { flow: 'client_credentials', loginUrl, clientId: 'x', clientSecret: 'y' },
  });

  it('are refused except on loopback', () => {
    const refused = salesforceConfigSchema.safeParse(oauth('http://login.salesforce.com'));
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/https/);
    expect(salesforceConfigSchema.safeParse(oauth('https://login.salesforce.com')).success).toBe(
      true,
    );
    expect(salesforceConfigSchema.safeParse(oauth('http://127.0.0.1:8443')).success).toBe(true);
    expect(salesforceConfigSchema.safeParse(oauth('http://[::1]:8443')).success).toBe(true);
  });

  it('an OAuth reply naming an http instance off loopback is refused before the token is used', async () => {
    const fake = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          access_token: 'a-token',
          instance_url: 'http://acme.my.salesforce.com',
        }),
      );
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    try {
      const loginUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
      const client = makeClient(
        org,
        salesforceConfig({ oauth: clientCredentials(org, { loginUrl }) }),
      );
      const error = await rejectionOf(
        client.readOpportunity(targetOf(org), createOpportunity(org)),
      );
      expect(error.message).toContain('instance_url must be https');
    } finally {
      await new Promise((resolve) => fake.close(resolve));
    }
  });
});
