import { writeFileSync } from 'node:fs';
import type { VirtualClock } from '../../../src/emulator/virtual-clock.ts';
import type { RecordStore } from '../../../src/emulator/records/record-store.ts';
import type { EmulatorSessionAuthority, EmulatorUser } from '../../../src/emulator/auth/index.ts';
import type { RunningEmulator } from '../../../src/emulator/start-emulator.ts';
import { startTestEmulator } from '../../support/emulator.ts';
import { makeTempDir } from '../../support/temp-dir.ts';

export const ORG_ID = '00D5g000004Xyz1EAC';

export interface EmulatedOrg {
  readonly url: string;
  readonly clock: VirtualClock;
  readonly store: RecordStore;
  readonly authority: EmulatorSessionAuthority;
  readonly admin: EmulatorUser;
  readonly integration: EmulatorUser;
  close(): Promise<void>;
}

export interface EmulatedOrgOptions {
  readonly sessionTtlSeconds?: number;
  readonly certificatePem?: string;
}

/** The real emulator (startEmulator) with two users and two connected apps. */
export async function startEmulatedOrg(options: EmulatedOrgOptions = {}): Promise<EmulatedOrg> {
  const dir = makeTempDir('sf-relay-org-');
  const certificateFile = dir.file('app.crt');
  if (options.certificatePem !== undefined) writeFileSync(certificateFile, options.certificatePem);
  const user = (username: string, firstName: string, lastName: string) => ({
    username,
    password: `${firstName}-secret-1`,
    firstName,
    lastName,
    email: `${firstName.toLowerCase()}@example.com`,
  });
  let emulator: RunningEmulator;
  try {
    emulator = await startTestEmulator({
      organizationId: ORG_ID,
      sessionTtlSeconds: options.sessionTtlSeconds ?? 7200,
      users: [
        user('admin@acme.example', 'Ada', 'Admin'),
        user('integration@acme.example', 'Ivan', 'Integration'),
      ],
      connectedApps: [
        {
          name: 'sf-relay',
          clientId: '3MVG9relayConsumerKey',
          clientSecret: 'relay-consumer-secret',
          runAsUsername: 'integration@acme.example',
          ...(options.certificatePem === undefined ? {} : { certificateFile }),
        },
        {
          name: 'no-run-as',
          clientId: '3MVG9noRunAs',
          clientSecret: 'no-run-as-secret',
          scopes: ['api'],
        },
      ],
      outboundMessages: [],
    });
  } finally {
    dir.remove();
  }
  const [admin, integration] = emulator.users;
  if (!admin || !integration) throw new Error('the emulator did not create both users');
  return {
    url: emulator.url,
    clock: emulator.clock,
    store: emulator.store,
    authority: emulator.authority,
    admin,
    integration,
    close: () => emulator.close(),
  };
}
