import { describe, expect, it } from 'vitest';
import { SessionExpiredError } from '../../src/salesforce/index.ts';
import {
  clientCredentials,
  createOpportunity,
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

describe('legacy mode: the message SessionId as the bearer', () => {
  it.each(['rest', 'soap', 'apex-rest'] as const)(
    'reads back and writes by %s with the SessionId, without asking for a token',
    async (callback) => {
      const client = makeClient(
        org,
        salesforceConfig({ useMessageSessionId: true, oauth: clientCredentials(org), callback }),
      );
      const sessionId = org.emulator.authority.issue(org.userId).accessToken;
      const opportunityId = createOpportunity(org);
      const before = tokenRequests(org);

      const snapshot = await client.readOpportunity(targetOf(org, sessionId), opportunityId);
      expect(snapshot?.lineItems).toHaveLength(2);
      await client.writeOrderResult(targetOf(org, sessionId), opportunityId, {
        orderNumber: `SO-legacy-${callback}`,
        orderStatus: 'Created',
      });
      expect(org.emulator.store.get(opportunityId)?.values.get('Order_Number__c')).toBe(
        `SO-legacy-${callback}`,
      );
      expect(org.emulator.counters.writesOf(opportunityId).updates).toBe(1);
      expect(tokenRequests(org) - before).toBe(0);
    },
  );

  it('ignores the SessionId when legacy mode is off', async () => {
    const client = makeClient(org, salesforceConfig({ oauth: clientCredentials(org) }));
    const opportunityId = createOpportunity(org);
    await expect(
      client.readOpportunity(targetOf(org, 'not-a-live-session'), opportunityId),
    ).resolves.toMatchObject({ id: opportunityId });
  });

  it('falls back to OAuth when the SessionId has expired', async () => {
    const client = makeClient(
      org,
      salesforceConfig({ useMessageSessionId: true, oauth: clientCredentials(org) }),
    );
    const sessionId = org.emulator.authority.issue(org.userId).accessToken;
    org.emulator.authority.revoke(sessionId);
    const opportunityId = createOpportunity(org);
    const before = tokenRequests(org);

    await client.writeOrderResult(targetOf(org, sessionId), opportunityId, {
      orderNumber: 'SO-fallback',
      orderStatus: 'Created',
    });
    expect(org.emulator.store.get(opportunityId)?.values.get('Order_Number__c')).toBe(
      'SO-fallback',
    );
    expect(org.emulator.counters.writesOf(opportunityId).updates).toBe(1);
    expect(tokenRequests(org) - before).toBe(1);
  });

  it('uses OAuth when the message carries no SessionId', async () => {
    const client = makeClient(
      org,
      salesforceConfig({ useMessageSessionId: true, oauth: clientCredentials(org) }),
    );
    const opportunityId = createOpportunity(org);
    await expect(client.readOpportunity(targetOf(org, null), opportunityId)).resolves.toMatchObject(
      { id: opportunityId },
    );
  });

  it('throws SessionExpiredError when the SessionId has expired and no OAuth is configured', async () => {
    const client = makeClient(org, salesforceConfig({ useMessageSessionId: true }));
    const sessionId = org.emulator.authority.issue(org.userId).accessToken;
    org.emulator.authority.revoke(sessionId);
    const opportunityId = createOpportunity(org);

    const error = await rejectionOf(
      client.writeOrderResult(targetOf(org, sessionId), opportunityId, {
        orderNumber: 'SO-never',
        orderStatus: 'Created',
      }),
    );
    expect(error).toBeInstanceOf(SessionExpiredError);
    expect(error).toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(error.message).toContain('no OAuth is configured for org');
    expect(error.message).toContain(org.emulator.organizationId.slice(0, 15));
    expect(error.message).not.toContain(sessionId);
    expect(org.emulator.counters.writesOf(opportunityId).updates).toBe(0);
  });

  it('throws SessionExpiredError when the message has no SessionId and no OAuth is configured', async () => {
    const client = makeClient(org, salesforceConfig({ useMessageSessionId: true }));
    await expect(
      client.readOpportunity(targetOf(org, null), createOpportunity(org)),
    ).rejects.toBeInstanceOf(SessionExpiredError);
  });
});
