import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { makeTempDir } from './temp-dir.ts';
import type { TempDir } from './temp-dir.ts';

export interface TestPki {
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  /** A second client certificate from the same CA: chains fine, but is not the pinned one. */
  readonly otherClientCert: string;
  readonly otherClientKey: string;
  /** A client certificate signed by a CA the server does not trust. */
  readonly strangerCert: string;
  readonly strangerKey: string;
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'pipe' });
}

/** A throwaway CA, a server certificate for 127.0.0.1 and two client certificates, via openssl. */
export function makeTestPki(dir: TempDir): TestPki {
  const f = (name: string): string => dir.file(name);
  const selfSigned = (name: string, subject: string): void =>
    openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      subject,
      '-keyout',
      f(`${name}.key`),
      '-out',
      f(`${name}.crt`),
    ]);
  const signed = (name: string, subject: string, extensions: string): void => {
    openssl([
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      subject,
      '-keyout',
      f(`${name}.key`),
      '-out',
      f(`${name}.csr`),
    ]);
    writeFileSync(f(`${name}.ext`), extensions);
    openssl([
      'x509',
      '-req',
      '-in',
      f(`${name}.csr`),
      '-CA',
      f('ca.crt'),
      '-CAkey',
      f('ca.key'),
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      f(`${name}.ext`),
      '-out',
      f(`${name}.crt`),
    ]);
  };
  selfSigned('ca', '/CN=sf-relay test CA');
  signed('server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  signed('client', '/CN=salesforce-outbound', 'extendedKeyUsage=clientAuth\n');
  signed('other-client', '/CN=someone-else', 'extendedKeyUsage=clientAuth\n');
  selfSigned('stranger', '/CN=stranger');
  return {
    caCert: f('ca.crt'),
    serverCert: f('server.crt'),
    serverKey: f('server.key'),
    clientCert: f('client.crt'),
    clientKey: f('client.key'),
    otherClientCert: f('other-client.crt'),
    otherClientKey: f('other-client.key'),
    strangerCert: f('stranger.crt'),
    strangerKey: f('stranger.key'),
  };
}

export interface KeyPair {
  readonly privateKeyPem: string;
  readonly certificatePem: string;
}

/** A self-signed RSA key and certificate from openssl, as an admin uploads to a connected app. */
export function makeKeyPair(): KeyPair {
  const dir = makeTempDir('sf-relay-jwt-');
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=sf-relay-test',
      ].concat(['-keyout', dir.file('app.key'), '-out', dir.file('app.crt')]),
      { stdio: 'pipe' },
    );
    return {
      privateKeyPem: readFileSync(dir.file('app.key'), 'utf8'),
      certificatePem: readFileSync(dir.file('app.crt'), 'utf8'),
    };
  } finally {
    dir.remove();
  }
}
