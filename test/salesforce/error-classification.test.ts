import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SalesforcePermanentError, SalesforceRetryableError } from '../../src/salesforce/index.ts';
import { classifyFailure, InvalidSessionError } from '../../src/salesforce/classify-failure.ts';
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

let org: TestOrg;

orgTest.beforeAll(({ org: started }) => {
  org = started;
});

const callbacks = ['rest', 'soap', 'apex-rest'] as const;
const ORDER = { orderNumber: 'SO-fault', orderStatus: 'Created' };

describe('faults the org injects', () => {
  it.each(callbacks)('503 SERVER_UNAVAILABLE on a %s write is retryable', async (callback) => {
    const client = makeClient(org, salesforceConfig({ oauth: clientCredentials(org), callback }));
    const opportunityId = createOpportunity(org);
    await client.readOpportunity(targetOf(org), opportunityId);
    org.emulator.faults.inject('unavailable', 1);
    const error = await rejectionOf(client.writeOrderResult(targetOf(org), opportunityId, ORDER));
    expect(error).toBeInstanceOf(SalesforceRetryableError);
    expect(error).toMatchObject({ code: 'SERVER_UNAVAILABLE' });
    expect(org.emulator.counters.writesOf(opportunityId).updates).toBe(0);
  });

  it.each(callbacks)('UNABLE_TO_LOCK_ROW on a %s write is retryable', async (callback) => {
    const client = makeClient(org, salesforceConfig({ oauth: clientCredentials(org), callback }));
    const opportunityId = createOpportunity(org);
    await client.readOpportunity(targetOf(org), opportunityId);
    org.emulator.faults.inject('unable_to_lock_row', 1);
    const error = await rejectionOf(client.writeOrderResult(targetOf(org), opportunityId, ORDER));
    expect(error).toBeInstanceOf(SalesforceRetryableError);
    expect(error).toMatchObject({ code: 'UNABLE_TO_LOCK_ROW' });
  });

  it('503 on the read back is retryable', async () => {
    const client = makeClient(org, salesforceConfig({ oauth: clientCredentials(org) }));
    const opportunityId = createOpportunity(org);
    await client.readOpportunity(targetOf(org), opportunityId);
    org.emulator.faults.inject('unavailable', 1);
    const error = await rejectionOf(client.readOpportunity(targetOf(org), opportunityId));
    expect(error).toBeInstanceOf(SalesforceRetryableError);
    expect(error).toMatchObject({ code: 'SERVER_UNAVAILABLE' });
  });

  it('a reply slower than timeoutMs is a retryable SALESFORCE_TIMEOUT', async () => {
    const client = makeClient(
      org,
      salesforceConfig({ oauth: clientCredentials(org), timeoutMs: 100 }),
    );
    const opportunityId = createOpportunity(org);
    await client.readOpportunity(targetOf(org), opportunityId);
    org.emulator.faults.inject('latency', 1, 600);
    const error = await rejectionOf(client.readOpportunity(targetOf(org), opportunityId));
    expect(error).toBeInstanceOf(SalesforceRetryableError);
    expect(error).toMatchObject({ code: 'SALESFORCE_TIMEOUT' });
  });
});

describe('a deleted Opportunity', () => {
  it('reads back as null', async () => {
    const client = makeClient(org, salesforceConfig({ oauth: clientCredentials(org) }));
    const opportunityId = createOpportunity(org);
    org.emulator.store.delete('Opportunity', opportunityId, null);
    await expect(client.readOpportunity(targetOf(org), opportunityId)).resolves.toBeNull();
  });

  it.each(callbacks)('is a permanent ENTITY_IS_DELETED on a %s write', async (callback) => {
    const client = makeClient(org, salesforceConfig({ oauth: clientCredentials(org), callback }));
    const opportunityId = createOpportunity(org);
    org.emulator.store.delete('Opportunity', opportunityId, null);
    const error = await rejectionOf(client.writeOrderResult(targetOf(org), opportunityId, ORDER));
    expect(error).toBeInstanceOf(SalesforcePermanentError);
    expect(error).toMatchObject({ code: 'ENTITY_IS_DELETED' });
  });
});

describe('requests Salesforce cannot accept', () => {
  it('an id that is not an Opportunity id is refused before any request', async () => {
    const client = makeClient(org, salesforceConfig({ oauth: clientCredentials(org) }));
    const error = await rejectionOf(client.readOpportunity(targetOf(org), "006' OR Name != '"));
    expect(error).toBeInstanceOf(SalesforcePermanentError);
    expect(error).toMatchObject({ code: 'MALFORMED_ID' });
  });

  it('an order number longer than the field is a permanent STRING_TOO_LONG on every callback', async () => {
    for (const callback of callbacks) {
      const client = makeClient(org, salesforceConfig({ oauth: clientCredentials(org), callback }));
      const opportunityId = createOpportunity(org);
      const error = await rejectionOf(
        client.writeOrderResult(targetOf(org), opportunityId, {
          orderNumber: `SO-${callback}-`.padEnd(41, '9'),
          orderStatus: 'Created',
        }),
      );
      expect(error, callback).toBeInstanceOf(SalesforcePermanentError);
      expect(error, callback).toMatchObject({ code: 'STRING_TOO_LONG' });
    }
  });
});

describe('network failures', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    // Answers nothing useful: resets every connection, as a crashed proxy would.
    server = createServer((request) => request.socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('a reset connection to the token endpoint is retryable', async () => {
    const client = makeClient(
      org,
      salesforceConfig({ oauth: clientCredentials(org, { loginUrl: url }) }),
    );
    const error = await rejectionOf(client.readOpportunity(targetOf(org), createOpportunity(org)));
    expect(error).toBeInstanceOf(SalesforceRetryableError);
    expect(error).toMatchObject({ code: 'SALESFORCE_UNREACHABLE' });
  });

  it('a refused connection to the instance is retryable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    // Legacy mode sends a SessionId only to the pinned host: pin the closed port.
    const organizationId = org.emulator.organizationId;
    const client = makeClient(
      org,
      salesforceConfig({
        useMessageSessionId: true,
        orgs: [{ organizationId, instanceHost: `127.0.0.1:${port}` }],
      }),
    );
    const target = {
      ...targetOf(org, `${organizationId.slice(0, 15)}!any-session`),
      partnerUrl: `http://127.0.0.1:${port}/services/Soap/u/60.0/${organizationId.slice(0, 15)}`,
    };
    const error = await rejectionOf(client.readOpportunity(target, createOpportunity(org)));
    expect(error).toBeInstanceOf(SalesforceRetryableError);
    expect(error).toMatchObject({ code: 'SALESFORCE_UNREACHABLE' });
    expect(error.message).toContain('ECONNREFUSED');
  });
});

describe('classifyFailure', () => {
  const what = 'test call';
  const cases: readonly [number, string | null, 'retryable' | 'permanent' | 'session', string][] = [
    [401, 'INVALID_SESSION_ID', 'session', 'INVALID_SESSION_ID'],
    [401, null, 'session', 'INVALID_SESSION_ID'],
    [500, 'INVALID_SESSION_ID', 'session', 'INVALID_SESSION_ID'],
    [503, null, 'retryable', 'HTTP_503'],
    [503, 'SERVER_UNAVAILABLE', 'retryable', 'SERVER_UNAVAILABLE'],
    [400, 'UNABLE_TO_LOCK_ROW', 'retryable', 'UNABLE_TO_LOCK_ROW'],
    [403, 'REQUEST_LIMIT_EXCEEDED', 'retryable', 'REQUEST_LIMIT_EXCEEDED'],
    [502, null, 'retryable', 'HTTP_502'],
    [500, 'SOME_NEW_CODE', 'retryable', 'SOME_NEW_CODE'],
    [400, 'ENTITY_IS_DELETED', 'permanent', 'ENTITY_IS_DELETED'],
    [500, 'INVALID_FIELD', 'permanent', 'INVALID_FIELD'],
    [400, 'MALFORMED_ID', 'permanent', 'MALFORMED_ID'],
    [404, 'NOT_FOUND', 'permanent', 'NOT_FOUND'],
    [500, 'INVALID_CROSS_REFERENCE_KEY', 'permanent', 'INVALID_CROSS_REFERENCE_KEY'],
    [400, 'SOME_NEW_CODE', 'permanent', 'SOME_NEW_CODE'],
    [403, null, 'permanent', 'HTTP_403'],
  ];
  it.each(cases)('%i %s is %s with code %s', (status, errorCode, kind, code) => {
    const error = classifyFailure({ status, errorCode, message: 'words', what });
    if (kind === 'session') expect(error).toBeInstanceOf(InvalidSessionError);
    else if (kind === 'retryable') {
      expect(error).toBeInstanceOf(SalesforceRetryableError);
      expect(error).not.toBeInstanceOf(InvalidSessionError);
    } else expect(error).toBeInstanceOf(SalesforcePermanentError);
    expect(error).toMatchObject({ code });
  });

  it('decides by code, never by message text', () => {
    const a = classifyFailure({
      status: 400,
      errorCode: 'ENTITY_IS_DELETED',
      message: 'try again later',
      what,
    });
    const b = classifyFailure({
      status: 400,
      errorCode: 'UNABLE_TO_LOCK_ROW',
      message: 'entity is deleted',
      what,
    });
    expect(a).toBeInstanceOf(SalesforcePermanentError);
    expect(b).toBeInstanceOf(SalesforceRetryableError);
  });
});
