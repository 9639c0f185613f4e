import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import { VirtualClock } from '../../../src/emulator/virtual-clock.ts';
import { RecordStore } from '../../../src/emulator/records/record-store.ts';
import { Schema } from '../../../src/emulator/schema/schema.ts';
import {
  createSessionAuthority,
  oauthRoutes,
  type ConnectedApp,
  type EmulatorSessionAuthority,
  type EmulatorUser,
} from '../../../src/emulator/auth/index.ts';
import { soapApiRoutes, type SoqlRunner } from '../../../src/emulator/soap-api/index.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

export const ORG_ID = '00D5g000004Xyz1EAC';

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

export interface EmulatedOrg {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly clock: VirtualClock;
  readonly store: RecordStore;
  readonly authority: EmulatorSessionAuthority;
  readonly admin: EmulatorUser;
  readonly integration: EmulatorUser;
  readonly apps: readonly ConnectedApp[];
  close(): Promise<void>;
}

export interface EmulatedOrgOptions {
  readonly sessionTtlSeconds?: number;
  readonly certificatePem?: string;
  readonly runSoql?: SoqlRunner;
}

/** A real Fastify server on 127.0.0.1 with the OAuth and SOAP plugins over a real record store. */
export async function startEmulatedOrg(options: EmulatedOrgOptions = {}): Promise<EmulatedOrg> {
  const clock = new VirtualClock();
  const store = new RecordStore(new Schema(), clock);
  const makeUser = (username: string, firstName: string, lastName: string): EmulatorUser => {
    const email = `${firstName.toLowerCase()}@example.com`;
    const id = store.create(
      'User',
      { Username: username, FirstName: firstName, LastName: lastName, Email: email },
      null,
    );
    return { id, username, password: `${firstName}-secret-1`, firstName, lastName, email };
  };
  const admin = makeUser('admin@acme.example', 'Ada', 'Admin');
  const integration = makeUser('integration@acme.example', 'Ivan', 'Integration');
  const apps: ConnectedApp[] = [
    {
      name: 'sf-relay',
      clientId: '3MVG9relayConsumerKey',
      clientSecret: 'relay-consumer-secret',
      runAsUsername: integration.username,
      ...(options.certificatePem === undefined ? {} : { certificatePem: options.certificatePem }),
    },
    {
      name: 'no-run-as',
      clientId: '3MVG9noRunAs',
      clientSecret: 'no-run-as-secret',
      scopes: ['api'],
    },
  ];
  const authority = createSessionAuthority({
    clock,
    organizationId: ORG_ID,
    users: [admin, integration],
    sessionTtlSeconds: options.sessionTtlSeconds ?? 7200,
  });
  const app = Fastify();
  let url = '';
  // The URLs are only known once the port is; the plugins read them through these getters.
  const urls = {
    get instanceUrl() {
      return url;
    },
  };
  await app.register(async (scope) => {
    await scope.register(oauthRoutes, {
      authority,
      apps,
      get instanceUrl() {
        return urls.instanceUrl;
      },
      get loginUrl() {
        return urls.instanceUrl;
      },
      organizationId: ORG_ID,
      clock,
    });
  });
  await app.register(soapApiRoutes, {
    authority,
    store,
    organizationId: ORG_ID,
    get instanceUrl() {
      return urls.instanceUrl;
    },
    clock,
    ...(options.runSoql === undefined ? {} : { runSoql: options.runSoql }),
  });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url, clock, store, authority, admin, integration, apps, close: () => app.close() };
}
