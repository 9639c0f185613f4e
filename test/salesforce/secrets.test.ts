import { expect, it } from 'vitest';
import {
  captureLog,
  clientCredentials,
  createOpportunity,
  jwtBearer,
  makeClient,
  salesforceConfig,
  orgTest,
  targetOf,
  type TestOrg,
} from './salesforce-org.ts';

let org: TestOrg;

orgTest.beforeAll(({ org: started }) => {
  org = started;
});

it('never writes a token, SessionId, client secret or private key to the log or an error', async () => {
  const log = captureLog();
  const errors: string[] = [];
  const settle = async (promise: Promise<unknown>): Promise<void> => {
    try {
      await promise;
    } catch (error) {
      errors.push(
        error instanceof Error ? `${error.message} ${String(error.cause)}` : String(error),
      );
    }
  };
  const wrongSecret = 'wrong-secret-that-must-not-leak';
  const liveSession = org.emulator.authority.issue(org.userId).accessToken;
  const expiredSession = org.emulator.authority.issue(org.userId).accessToken;
  org.emulator.authority.revoke(expiredSession);
  const order = (n: string) => ({ orderNumber: `SO-secret-${n}`, orderStatus: 'Created' });

  for (const [name, oauth] of [
    ['cc', clientCredentials(org)],
    ['jwt', jwtBearer(org)],
  ] as const) {
    for (const callback of ['rest', 'soap', 'apex-rest'] as const) {
      const client = makeClient(
        org,
        salesforceConfig({ oauth, callback, useMessageSessionId: true }),
        { logger: log.logger },
      );
      const id = createOpportunity(org);
      await settle(client.readOpportunity(targetOf(org), id));
      org.emulator.authority.expireAll();
      await settle(client.writeOrderResult(targetOf(org), id, order(`${name}-${callback}`)));
      await settle(client.readOpportunity(targetOf(org, expiredSession), id));
      await settle(client.readOpportunity(targetOf(org, liveSession), id));
    }
  }
  const refused = makeClient(
    org,
    salesforceConfig({ oauth: clientCredentials(org, { clientSecret: wrongSecret }) }),
    { logger: log.logger },
  );
  await settle(refused.readOpportunity(targetOf(org), createOpportunity(org)));
  const noOAuth = makeClient(org, salesforceConfig({ useMessageSessionId: true }), {
    logger: log.logger,
  });
  await settle(noOAuth.readOpportunity(targetOf(org, expiredSession), createOpportunity(org)));

  const text = log.text();
  expect(text).toContain('Salesforce OAuth token obtained');
  expect(errors.length).toBeGreaterThanOrEqual(2);
  const everything = `${text}\n${errors.join('\n')}`;
  const keyBody = org.privateKeyPem
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('-----'));
  const secrets = [
    org.clientSecret,
    wrongSecret,
    liveSession,
    expiredSession,
    ...keyBody,
    // Every access token the org issues starts with its 15-character id and "!".
    `${org.emulator.organizationId.slice(0, 15)}!`,
  ];
  for (const secret of secrets) expect(everything).not.toContain(secret);
});
