import type { EmulatorConfig } from '../../config/index.ts';
import { toId18 } from '../../soap/index.ts';
import { createSessionAuthority, type EmulatorSessionAuthority } from '../auth/index.ts';
import type { EmulatorUser } from '../auth/session-authority.ts';
import {
  DEFAULT_METADATA_DIR,
  loadSalesforceMetadata,
  type SalesforceMetadata,
} from '../metadata/index.ts';
import { IdFactory } from '../records/id-factory.ts';
import { RecordFile } from '../records/record-file.ts';
import { RecordStore } from '../records/record-store.ts';
import { createAccessCheck, restrictedUsers } from '../records/sharing.ts';
import { Schema } from '../schema/schema.ts';
import { VirtualClock } from '../virtual-clock.ts';
import type { StartedParts } from '../../shared/index.ts';

/** The org's data and who may use it: everything that exists before any server runs. */
export interface Org {
  /** The org id, 18 characters. */
  readonly organizationId: string;
  readonly clock: VirtualClock;
  readonly ids: IdFactory;
  readonly metadata: SalesforceMetadata;
  readonly store: RecordStore;
  readonly users: readonly EmulatorUser[];
  readonly authority: EmulatorSessionAuthority;
}

/**
 * Loads the metadata, fills the record store (from the data file, when one is configured) with
 * the Organization and the configured users, and sets up sessions and sharing. The data file,
 * once open, is registered with `parts` so a later failure closes it.
 */
export function openOrg(config: EmulatorConfig, parts: StartedParts): Org {
  const organizationId = toId18(config.organizationId);
  const clock = new VirtualClock();
  const ids = new IdFactory();
  // The org runs what a user deploys: fields, outbound messages and flows from the SFDX project.
  const metadata = loadSalesforceMetadata(config.metadataDir ?? DEFAULT_METADATA_DIR);
  const store = new RecordStore(new Schema(metadata.customFields), clock, ids);
  if (config.dataFile !== undefined) restoreFromDataFile(config.dataFile, store, ids, parts);
  seedOrganization(store, clock, organizationId, config.organizationName);
  const users = seedUsers(store, config.users);
  const authority = createSessionAuthority({
    clock,
    organizationId,
    users,
    sessionTtlSeconds: config.sessionTtlSeconds,
  });
  store.setAccessCheck(
    createAccessCheck({
      restrictedUsers: restrictedUsers(users, metadata.permissionSets),
      organizationWideDefaults: config.organizationWideDefaults,
      get: (id) => store.get(id),
    }),
  );
  return { organizationId, clock, ids, metadata, store, users, authority };
}

/** Loads what the file holds, then writes every later change to it. */
function restoreFromDataFile(
  path: string,
  store: RecordStore,
  ids: IdFactory,
  parts: StartedParts,
): void {
  const dataFile = new RecordFile(path);
  parts.started(() => dataFile.close());
  const saved = dataFile.load();
  ids.skipTo(saved.nextId);
  store.restore(saved.records);
  store.onChange((change) => dataFile.save(change, store.nextIdPosition));
}

function seedOrganization(
  store: RecordStore,
  clock: VirtualClock,
  organizationId: string,
  name: string,
): void {
  const now = clock.now().toISOString();
  store.restore([
    {
      type: 'Organization',
      id: organizationId,
      values: {
        Id: organizationId,
        Name: name,
        InstanceName: 'EMU1',
        IsDeleted: false,
        CreatedDate: now,
        LastModifiedDate: now,
        SystemModstamp: now,
      },
    },
  ]);
}

/** The configured users, each a User record: found again by username in a data file, else created. */
function seedUsers(
  store: RecordStore,
  configured: EmulatorConfig['users'],
): readonly EmulatorUser[] {
  const existingUsers = new Map(
    [...store.scan('User')].map((u) => [String(u.values.get('Username')).toLowerCase(), u.id]),
  );
  return configured.map((user) => {
    const id =
      existingUsers.get(user.username.toLowerCase()) ??
      store.create(
        'User',
        {
          Username: user.username,
          FirstName: user.firstName,
          LastName: user.lastName,
          Email: user.email,
        },
        null,
      );
    return { id, ...user };
  });
}
