import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRelayUnderAttack, type RelayUnderAttack } from './hostile-relay.ts';
import { makeTestPki, type TestPki } from '../support/certificates.ts';
import { postFrom } from '../support/post-from.ts';
import { faultOf, isAck, type SoapReply } from '../support/relay.ts';
import { runCli } from '../support/relay-process.ts';
import { sample } from '../support/samples.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

/**
 * Sender checks against a relay in its own process, decided by what the network says: the
 * client socket's own address (127.0.0.2 and 127.0.0.3 are loopback on Linux), a real
 * X-Forwarded-For from a trusted and an untrusted peer, and real TLS client certificates.
 */
const BODY = sample('no-session-id.xml');
const TOKEN = 'an-endpoint-token-0123456789';

let pkiDir: TempDir;
let pki: TestPki;
let relay: RelayUnderAttack | undefined;

beforeAll(() => {
  pkiDir = makeTempDir('sf-relay-pki-');
  pki = makeTestPki(pkiDir);
});
afterAll(() => pkiDir?.remove());
afterEach(async () => {
  await relay?.stop();
  relay = undefined;
});

async function start(settings: Record<string, unknown>): Promise<RelayUnderAttack> {
  relay = await startRelayUnderAttack({}, settings);
  return relay;
}

function expectRefused(reply: SoapReply, status: number, code: string): void {
  expect(reply.status, reply.body.slice(0, 400)).toBe(status);
  expect(faultOf(reply).errorCode).toBe(code);
}

const fingerprintOf = (file: string): string =>
  new X509Certificate(readFileSync(file)).fingerprint256;
/** nginx's `$ssl_client_escaped_cert`: the PEM, URL-encoded. */
const escapedPem = (file: string): string => encodeURIComponent(readFileSync(file, 'utf8'));

describe('allowedSourceIps', () => {
  it('reads messages only from listed addresses, refusing others before the body with nothing stored', async () => {
    const r = await start({ allowedSourceIps: ['127.0.0.2/32', '2001:db8::/32'] });
    const url = `${r.url}/soap/outbound`;

    expectRefused(
      await postFrom(url, BODY, { localAddress: '127.0.0.1' }),
      403,
      'SOURCE_NOT_ALLOWED',
    );
    expect(r.rowCount()).toBe(0);
    expect(isAck(await postFrom(url, BODY, { localAddress: '127.0.0.2' }))).toBe(true);
    expect(r.rowCount()).toBe(1);
  }, 60_000);

  it('believes X-Forwarded-For only from a trustProxy address', async () => {
    const r = await start({ allowedSourceIps: ['203.0.113.0/24'], trustProxy: ['127.0.0.3'] });
    const url = `${r.url}/soap/outbound`;
    const forwarded = (address: string) => ({ 'x-forwarded-for': address });

    // A stranger claiming to forward for an allowed address is judged by its own address.
    expectRefused(
      await postFrom(url, BODY, { localAddress: '127.0.0.2', headers: forwarded('203.0.113.7') }),
      403,
      'SOURCE_NOT_ALLOWED',
    );
    // The trusted proxy forwarding for an address outside the list.
    expectRefused(
      await postFrom(url, BODY, { localAddress: '127.0.0.3', headers: forwarded('198.51.100.9') }),
      403,
      'SOURCE_NOT_ALLOWED',
    );
    // A client that prepends an allowed address of its own gets judged by what the proxy saw.
    expectRefused(
      await postFrom(url, BODY, {
        localAddress: '127.0.0.3',
        headers: forwarded('203.0.113.7, 198.51.100.9'),
      }),
      403,
      'SOURCE_NOT_ALLOWED',
    );
    expect(r.rowCount()).toBe(0);
    expect(
      isAck(
        await postFrom(url, BODY, { localAddress: '127.0.0.3', headers: forwarded('203.0.113.7') }),
      ),
    ).toBe(true);
    expect(r.rowCount()).toBe(1);
  }, 60_000);

  it('the salesforce preset admits none of the loopback test addresses, and the listener warns of its age at start', async () => {
    const r = await start({ allowedSourceIps: ['salesforce'] });
    const caution = r.process
      .output()
      .split('\n')
      .find((line) => line.includes('"event":"relay.sender_check_caution"'));
    expect(caution).toContain('published in 2014-10');
    expect(caution).toContain('"level":40');
    expectRefused(
      await postFrom(`${r.url}/soap/outbound`, BODY, { localAddress: '127.0.0.2' }),
      403,
      'SOURCE_NOT_ALLOWED',
    );
    expect(r.rowCount()).toBe(0);
  }, 60_000);
});

describe('client certificate pinning', () => {
  const tlsSettings = (pins: Record<string, unknown>) => ({
    tls: {
      certFile: pki.serverCert,
      keyFile: pki.serverKey,
      caFile: pki.caCert,
      requireClientCert: true,
      ...pins,
    },
  });
  const withCert = (cert: string, key: string) => ({
    tls: { ca: readFileSync(pki.caCert), cert: readFileSync(cert), key: readFileSync(key) },
  });

  it('accepts the pinned fingerprint and refuses another certificate from the same CA', async () => {
    const r = await start(tlsSettings({ clientCertFingerprints: [fingerprintOf(pki.clientCert)] }));
    const url = `${r.url}/soap/outbound`;
    expectRefused(
      await postFrom(url, BODY, withCert(pki.otherClientCert, pki.otherClientKey)),
      403,
      'CLIENT_CERT_NOT_PINNED',
    );
    expect(r.rowCount()).toBe(0);
    expect(isAck(await postFrom(url, BODY, withCert(pki.clientCert, pki.clientKey)))).toBe(true);
    expect(r.rowCount()).toBe(1);
  }, 60_000);

  it('accepts a pinned subject DN and refuses another subject', async () => {
    const r = await start(tlsSettings({ clientCertSubjects: ['CN=salesforce-outbound'] }));
    const url = `${r.url}/soap/outbound`;
    expectRefused(
      await postFrom(url, BODY, withCert(pki.otherClientCert, pki.otherClientKey)),
      403,
      'CLIENT_CERT_NOT_PINNED',
    );
    expect(isAck(await postFrom(url, BODY, withCert(pki.clientCert, pki.clientKey)))).toBe(true);
  }, 60_000);

  it("believes a proxy's forwarded certificate header only from trustProxy", async () => {
    const r = await start({
      trustProxy: ['127.0.0.3'],
      tls: {
        clientCertHeader: 'X-Client-Cert',
        clientCertFingerprints: [fingerprintOf(pki.clientCert).replaceAll(':', '').toLowerCase()],
      },
    });
    const url = `${r.url}/soap/outbound`;
    const fromProxy = (cert: string, localAddress: string) => ({
      localAddress,
      headers: { 'x-client-cert': escapedPem(cert) },
    });

    expectRefused(
      await postFrom(url, BODY, fromProxy(pki.clientCert, '127.0.0.2')),
      403,
      'CLIENT_CERT_MISSING',
    );
    expectRefused(
      await postFrom(url, BODY, fromProxy(pki.otherClientCert, '127.0.0.3')),
      403,
      'CLIENT_CERT_NOT_PINNED',
    );
    expectRefused(
      await postFrom(url, BODY, { localAddress: '127.0.0.3' }),
      403,
      'CLIENT_CERT_MISSING',
    );
    expect(r.rowCount()).toBe(0);
    expect(isAck(await postFrom(url, BODY, fromProxy(pki.clientCert, '127.0.0.3')))).toBe(true);
    expect(r.rowCount()).toBe(1);
  }, 60_000);
});

describe('the endpoint token in a header', () => {
  it('accepts the token in X-Sfrelay-Endpoint-Token as well as in the path', async () => {
    const r = await start({ endpointToken: TOKEN });
    const url = `${r.url}/soap/outbound`;
    expectRefused(
      await postFrom(url, BODY, { headers: { 'x-sfrelay-endpoint-token': `${TOKEN}x` } }),
      401,
      'ENDPOINT_TOKEN_INVALID',
    );
    expectRefused(await postFrom(url, BODY), 401, 'ENDPOINT_TOKEN_INVALID');
    expect(r.rowCount()).toBe(0);
    expect(
      isAck(await postFrom(url, BODY, { headers: { 'x-sfrelay-endpoint-token': TOKEN } })),
    ).toBe(true);
    expect(isAck(await postFrom(`${url}/${TOKEN}`, BODY))).toBe(true);
  }, 60_000);
});

describe('closed by default off loopback', () => {
  const env = {
    SFRELAY_ALLOWED_ORGANIZATION_IDS: '00D5g000004XyZ1EAK',
    SFRELAY_DASHBOARD_TOKEN: 'a-dashboard-token-0123',
  };

  it('refuses to start a listener on 0.0.0.0 with no sender check, saying what to set', async () => {
    const dir = makeTempDir('sf-relay-open-');
    try {
      const run = await runCli(
        [
          'start',
          '--role',
          'listener',
          '--host',
          '0.0.0.0',
          '--port',
          '0',
          '--db',
          `sqlite:${dir.file('r.db')}`,
        ],
        env,
      );
      expect(run.code).not.toBe(0);
      const output = run.stdout + run.stderr;
      expect(output).toMatch(/endpointToken/);
      expect(output).toMatch(/allowedSourceIps/);
      expect(output).toMatch(/requireClientCert/);
      expect(output).not.toContain('a-dashboard-token-0123');
    } finally {
      dir.remove();
    }
  }, 60_000);
});
