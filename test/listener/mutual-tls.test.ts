import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki, type TestPki } from '../support/certificates.ts';
import { startTestRelay, type TestRelay } from '../support/relay.ts';
import { sample } from '../support/samples.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

let pkiDir: TempDir;
let pki: TestPki;
let relay: TestRelay;

beforeAll(async () => {
  pkiDir = makeTempDir('sf-relay-pki-');
  pki = makeTestPki(pkiDir);
  relay = await startTestRelay({
    tls: {
      certFile: pki.serverCert,
      keyFile: pki.serverKey,
      caFile: pki.caCert,
      requireClientCert: true,
    },
  });
});

afterAll(async () => {
  await relay?.stop();
  pkiDir?.remove();
});

function post(
  client: { cert: string; key: string } | null,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = sample('no-session-id.xml');
    const req = request(
      `${relay.url}/soap/outbound`,
      {
        method: 'POST',
        ca: readFileSync(pki.caCert),
        ...(client ? { cert: readFileSync(client.cert), key: readFileSync(client.key) } : {}),
        headers: {
          'content-type': 'text/xml; charset=utf-8',
          soapaction: '""',
          'content-length': body.length,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('HTTPS with client-certificate verification', () => {
  it('serves over https', () => {
    expect(relay.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('acks a client whose certificate chains to the configured CA', async () => {
    const reply = await post({ cert: pki.clientCert, key: pki.clientKey });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('<Ack>true</Ack>');
    expect(relay.rowCount()).toBe(1);
  });

  it('refuses the handshake without a client certificate, storing nothing new', async () => {
    // The server ends the handshake with a TLS alert (certificate required / unknown CA), or
    // resets the socket; either way no HTTP exchange happens.
    const handshakeRefused = /alert|ECONNRESET|socket hang up|certificate/i;
    await expect(post(null)).rejects.toThrow(handshakeRefused);
    await expect(post({ cert: pki.strangerCert, key: pki.strangerKey })).rejects.toThrow(
      handshakeRefused,
    );
    expect(relay.rowCount()).toBe(1);
  });
});
