import { constants, openSync, closeSync } from 'node:fs';
import { request } from 'node:http';
import { execFileSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { describe, expect } from 'vitest';
import { renderOutboundMessage, type OutboundMessage } from '../../src/soap/index.ts';
import {
  faultOf,
  isAck,
  postSoap,
  SAMPLE_ORG_ID,
  relayTest,
  type TestRelay,
} from '../support/relay.ts';
import { hostileSampleNames, sample } from '../support/samples.ts';

function message(notificationCount: number, organizationId = SAMPLE_ORG_ID): OutboundMessage {
  return {
    organizationId,
    actionId: '04k5g000000AbCdAAK',
    sessionId: null,
    enterpriseUrl: `https://acme.my.salesforce.com/services/Soap/c/60.0/${organizationId.slice(0, 15)}`,
    partnerUrl: `https://acme.my.salesforce.com/services/Soap/u/60.0/${organizationId.slice(0, 15)}`,
    notifications: Array.from({ length: notificationCount }, (_, i) => ({
      id: `04l5g00000Zz${String(i).padStart(3, '0')}AAV`,
      sObject: {
        type: 'Opportunity',
        id: `0065g00000Zz${String(i).padStart(3, '0')}AAB`,
        fields: { StageName: 'Closed Won' },
      },
    })),
  };
}

const endpoint = (r: TestRelay, path = '/soap/outbound'): string => `${r.url}${path}`;

describe('POST /soap/outbound', () => {
  relayTest.for<[string, number]>([
    ['opportunity-closed-won.xml', 1],
    ['batch-of-three-other-prefixes.xml', 3],
    ['no-session-id.xml', 1],
  ])(
    'acks %s after storing its %i notification(s)',
    async ([name, notifications], { startRelay: relay }) => {
      const r = await relay();
      const reply = await postSoap(endpoint(r), sample(name));
      expect(reply.status).toBe(200);
      expect(reply.contentType).toMatch(/^text\/xml/);
      expect(isAck(reply)).toBe(true);
      expect(r.rowCount()).toBe(notifications);
    },
  );

  relayTest(
    'acks the same message twice and keeps one row per notification',
    async ({ startRelay: relay }) => {
      const r = await relay();
      const body = sample('batch-of-three-other-prefixes.xml');
      expect(isAck(await postSoap(endpoint(r), body))).toBe(true);
      expect(isAck(await postSoap(endpoint(r), body))).toBe(true);
      expect(r.rowCount()).toBe(3);
      const stored = r.logs
        .filter((line) => line.includes('"outbound.stored"'))
        .map((line) => JSON.parse(line));
      expect(stored.map((l) => [l.inserted, l.duplicates])).toEqual([
        [3, 0],
        [0, 3],
      ]);
    },
  );

  relayTest(
    'stores concurrent deliveries of one message exactly once',
    async ({ startRelay: relay }) => {
      const r = await relay();
      const body = renderOutboundMessage(message(100));
      const replies = await Promise.all(
        Array.from({ length: 8 }, () => postSoap(endpoint(r), body)),
      );
      expect(replies.every(isAck)).toBe(true);
      expect(r.rowCount()).toBe(100);
    },
  );

  relayTest.for(hostileSampleNames())(
    'answers %s with a Client fault and stores nothing',
    async (name, { startRelay: relay }) => {
      const r = await relay();
      const reply = await postSoap(endpoint(r), sample(name));
      expect(reply.status).toBe(500);
      expect(faultOf(reply).faultCode).toBe('Client');
      expect(r.rowCount()).toBe(0);
    },
  );

  relayTest(
    'refuses the billion-laughs sample in well under a second and stays responsive',
    async ({ startRelay: relay }) => {
      const r = await relay();
      const started = performance.now();
      const reply = await postSoap(endpoint(r), sample('hostile/billion-laughs.xml'));
      expect(performance.now() - started).toBeLessThan(1000);
      expect(faultOf(reply).errorCode).toBe('SOAP_DTD_FORBIDDEN');
      expect((await fetch(`${r.url}/healthz`)).status).toBe(200);
    },
  );

  relayTest('never opens the file an external entity points at', async ({ startRelay: relay }) => {
    const r = await relay();
    // A FIFO with no writer: anyone opening it to read would block, and while they wait, our
    // non-blocking open for writing would succeed. ENXIO proves no reader ever opened it.
    const fifo = r.dir.file('secret.fifo');
    execFileSync('mkfifo', [fifo]);
    const xxe = sample('hostile/xxe-file.xml')
      .toString('utf8')
      .replace('file:///etc/passwd', `file://${fifo}`);
    expect(xxe).toContain(fifo);
    const reply = await postSoap(endpoint(r), xxe);
    expect(faultOf(reply)).toEqual({ faultCode: 'Client', errorCode: 'SOAP_DTD_FORBIDDEN' });
    expect(() => closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK))).toThrow(
      /ENXIO/,
    );
    expect(r.rowCount()).toBe(0);
  });

  relayTest(
    'refuses an organisation that is not allowed, matching allowed ids on 15 characters',
    async ({ startRelay: relay }) => {
      const r = await relay({ allowedOrganizationIds: ['00D5g000004XyZ1'] });
      expect(isAck(await postSoap(endpoint(r), sample('no-session-id.xml')))).toBe(true);
      const stranger = await postSoap(
        endpoint(r),
        renderOutboundMessage(message(2, '00D000000000001AAA')),
      );
      expect(stranger.status).toBe(500);
      expect(faultOf(stranger)).toEqual({ faultCode: 'Client', errorCode: 'ORG_NOT_ALLOWED' });
      expect(stranger.body).toContain('00D000000000001AAA');
      expect(r.rowCount()).toBe(1);
    },
  );

  relayTest(
    'refuses more than 100 notifications and stores none of them',
    async ({ startRelay: relay }) => {
      const r = await relay();
      const body = renderOutboundMessage(message(100)).replace(
        '</notifications>',
        `${renderOutboundMessage(message(1)).match(/<Notification>[\s\S]*<\/Notification>/)?.[0] ?? ''}</notifications>`,
      );
      const reply = await postSoap(endpoint(r), body);
      expect(faultOf(reply)).toEqual({
        faultCode: 'Client',
        errorCode: 'SOAP_TOO_MANY_NOTIFICATIONS',
      });
      expect(r.rowCount()).toBe(0);
    },
  );

  relayTest('answers a wrong content type with 415 and a fault', async ({ startRelay: relay }) => {
    const r = await relay();
    const body = sample('no-session-id.xml');
    for (const contentType of ['application/json', 'application/soap+xml', 'text/plain']) {
      const reply = await postSoap(endpoint(r), body, { 'content-type': contentType });
      expect(reply.status).toBe(415);
      expect(faultOf(reply)).toEqual({ faultCode: 'Client', errorCode: 'SOAP_WRONG_CONTENT_TYPE' });
    }
    expect(r.rowCount()).toBe(0);
  });

  relayTest('answers an empty body with a fault', async ({ startRelay: relay }) => {
    const r = await relay();
    const reply = await postSoap(endpoint(r), '');
    expect(reply.status).toBe(500);
    expect(faultOf(reply)).toEqual({ faultCode: 'Client', errorCode: 'SOAP_MALFORMED' });
    expect(r.rowCount()).toBe(0);
  });

  relayTest('answers a body over the limit with 413 and a fault', async ({ startRelay: relay }) => {
    const r = await relay({ limits: { maxBodyBytes: 4096 } });
    const reply = await postSoap(endpoint(r), renderOutboundMessage(message(40)));
    expect(reply.status).toBe(413);
    // The catalogue's code, not Fastify's own FST_ERR_CTP_BODY_TOO_LARGE.
    expect(faultOf(reply)).toEqual({ faultCode: 'Client', errorCode: 'SOAP_TOO_LARGE' });
    expect(r.rowCount()).toBe(0);
  });

  relayTest(
    'answers a SOAPAction other than the empty one with a fault',
    async ({ startRelay: relay }) => {
      const r = await relay();
      const reply = await postSoap(endpoint(r), sample('no-session-id.xml'), {
        soapaction: '"urn:delete"',
      });
      expect(faultOf(reply)).toEqual({ faultCode: 'Client', errorCode: 'SOAP_WRONG_ACTION' });
      expect(r.rowCount()).toBe(0);
    },
  );

  relayTest(
    'answers with a Server fault, never an Ack, when the inbox cannot commit',
    async ({ startRelay: relay }) => {
      const r = await relay();
      // A second connection makes every insert fail inside the relay's own transaction.
      const saboteur = new Database(r.dbPath);
      saboteur.exec(
        "CREATE TRIGGER refuse_inserts BEFORE INSERT ON notifications BEGIN SELECT RAISE(ABORT, 'disk on fire'); END",
      );
      const body = sample('batch-of-three-other-prefixes.xml');
      const reply = await postSoap(endpoint(r), body);
      expect(reply.status).toBe(500);
      expect(faultOf(reply).faultCode).toBe('Server');
      expect(reply.body).not.toContain('Ack');
      expect(r.rowCount()).toBe(0);

      saboteur.exec('DROP TRIGGER refuse_inserts');
      saboteur.close();
      expect(isAck(await postSoap(endpoint(r), body))).toBe(true);
      expect(r.rowCount()).toBe(3);
    },
  );

  relayTest(
    'never writes the SessionId or the endpoint token to the log',
    async ({ startRelay: relay }) => {
      const token = 'tok_0123456789abcdef';
      const r = await relay({ endpointToken: token });
      expect(
        isAck(
          await postSoap(
            endpoint(r, `/soap/outbound/${token}`),
            sample('opportunity-closed-won.xml'),
          ),
        ),
      ).toBe(true);
      await postSoap(
        endpoint(r, '/soap/outbound/wrong-token-value-xyz'),
        sample('opportunity-closed-won.xml'),
      );
      const log = r.logs.join('');
      expect(log).toContain('outbound.stored');
      expect(log).not.toContain('FakeSessionToken');
      expect(log).not.toContain('Fake.SessionToken');
      expect(log).not.toContain(token);
      expect(log).not.toContain('wrong-token-value-xyz');
    },
  );
});

describe('forged messages', () => {
  relayTest(
    'refuses a notification id already stored for another record, keeping the stored one',
    async ({ startRelay: relay }) => {
      const r = await relay();
      const genuine = message(1);
      expect(isAck(await postSoap(endpoint(r), renderOutboundMessage(genuine)))).toBe(true);
      const forged: OutboundMessage = {
        ...genuine,
        notifications: [
          {
            id: genuine.notifications[0]?.id ?? '',
            sObject: { type: 'Opportunity', id: '0065g0000ForgedAAB', fields: {} },
          },
        ],
      };
      const reply = await postSoap(endpoint(r), renderOutboundMessage(forged));
      expect(faultOf(reply)).toEqual({
        faultCode: 'Client',
        errorCode: 'NOTIFICATION_ID_CONFLICT',
      });
      const [stored] = await r.relay.inbox.list();
      expect(stored?.recordId).toBe(genuine.notifications[0]?.sObject?.id);
      expect(r.rowCount()).toBe(1);
    },
  );

  relayTest(
    'stores a message whatever host its API URLs name: they matter only in legacy mode, which checks them where it uses them',
    async ({ startRelay: relay }) => {
      const r = await relay();
      const sandbox = renderOutboundMessage(message(1)).replaceAll(
        'acme.my.salesforce.com',
        'acme--uat.sandbox.my.salesforce.com',
      );
      const reply = await postSoap(endpoint(r), sandbox);
      expect(isAck(reply)).toBe(true);
      expect(r.rowCount()).toBe(1);
    },
  );

  relayTest(
    'answers a wrong endpoint token before reading the body',
    async ({ startRelay: relay }) => {
      const r = await relay({ endpointToken: 'a-long-enough-endpoint-token' });
      const { hostname, port } = new URL(r.url);
      // Headers promise a megabyte that never comes: only an answer given before the body can arrive.
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: hostname,
            port,
            method: 'POST',
            path: '/soap/outbound/wrong-token-xxxxxxxxx',
            headers: { 'content-type': 'text/xml', 'content-length': 1_000_000 },
          },
          (res) => {
            resolve(res.statusCode ?? 0);
            req.destroy();
          },
        );
        req.on('error', reject);
        req.flushHeaders();
      });
      expect(status).toBe(401);
    },
  );
});

describe('endpoint token', () => {
  const token = 'Zq8x-5Jt.w2Lr_9Kd~Hh3';

  relayTest(
    'accepts messages only at /soap/outbound/<token> when a token is configured',
    async ({ startRelay: relay }) => {
      const r = await relay({ endpointToken: token });
      const body = sample('no-session-id.xml');
      const missing = await postSoap(endpoint(r), body);
      expect(missing.status).toBe(401);
      expect(faultOf(missing).errorCode).toBe('ENDPOINT_TOKEN_INVALID');
      const wrong = await postSoap(endpoint(r, `/soap/outbound/${token}x`), body);
      expect(wrong.status).toBe(401);
      expect(r.rowCount()).toBe(0);
      expect(isAck(await postSoap(endpoint(r, `/soap/outbound/${token}`), body))).toBe(true);
      expect(r.rowCount()).toBe(1);
    },
  );

  relayTest(
    'answers 404 on a token path when no token is configured',
    async ({ startRelay: relay }) => {
      const r = await relay();
      const reply = await postSoap(
        endpoint(r, '/soap/outbound/anything'),
        sample('no-session-id.xml'),
      );
      expect(reply.status).toBe(404);
      expect(faultOf(reply).errorCode).toBe('ENDPOINT_NOT_FOUND');
      expect(r.rowCount()).toBe(0);
    },
  );
});

describe('WSDL and health', () => {
  relayTest(
    'serves the outbound-message WSDL with its address pointing at this relay',
    async ({ startRelay: relay }) => {
      const r = await relay();
      const response = await fetch(`${endpoint(r)}?wsdl`);
      expect(response.status).toBe(200);
      const wsdl = await response.text();
      expect(wsdl).toContain('targetNamespace="http://soap.sforce.com/2005/09/outbound"');
      expect(wsdl).toContain(`location="${endpoint(r)}"`);
    },
  );

  relayTest('explains itself on a plain GET', async ({ startRelay: relay }) => {
    const r = await relay();
    const response = await fetch(endpoint(r));
    expect(response.status).toBe(405);
    expect(await response.text()).toMatch(/POST Salesforce outbound messages here/);
  });

  relayTest(
    'reports healthy and ready while the inbox can commit',
    async ({ startRelay: relay }) => {
      const r = await relay();
      expect((await fetch(`${r.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${r.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready' });
    },
  );
});
