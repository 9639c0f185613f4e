import { toId18 } from '../../soap/index.ts';
import { SalesforceApiError } from '../api-error.ts';
import { MetadataError, type ObjectAccess, type PermissionSetMetadata } from '../metadata/index.ts';
import type { SObject } from './record-store.ts';

/** An object's organization-wide sharing default (Setup → Sharing Settings). */
export type SharingModel = 'Private' | 'Read' | 'ReadWrite';

export type WriteKind = 'create' | 'edit' | 'delete';

/** Decides one API write by one user; throws Salesforce's error when the user may not. */
export type AccessCheck = (
  kind: WriteKind,
  type: string,
  record: SObject | null,
  fields: readonly string[],
  userId: string | null,
) => void;

export interface SharingOptions {
  /** Users governed by permission sets, by 18-character id. Anyone else is an administrator. */
  readonly restrictedUsers: ReadonlyMap<string, readonly PermissionSetMetadata[]>;
  readonly organizationWideDefaults: Readonly<Record<string, SharingModel>>;
  /** Reads a parent record, for objects whose access follows their parent's. */
  readonly get: (id: string) => SObject | undefined;
}

/**
 * Objects without owners of their own: access to an Opportunity's line items is access to the
 * Opportunity (edit a line item = edit its Opportunity).
 */
const CONTROLLED_BY_PARENT: Readonly<Record<string, { object: string; field: string }>> = {
  OpportunityLineItem: { object: 'Opportunity', field: 'OpportunityId' },
};

/** Salesforce's words for a record the user may not change (REST 400, SOAP save error). */
const insufficientAccess = (): SalesforceApiError =>
  new SalesforceApiError(
    'INSUFFICIENT_ACCESS_OR_READONLY',
    'insufficient access rights on object id',
    {
      fields: [],
    },
  );

/**
 * Record access as Salesforce decides it for a user without "Modify All Data": object
 * permissions from the user's permission sets, then the record: its owner may edit it, Modify
 * All on the object edits any record, and otherwise the object's sharing default decides
 * (Public Read/Write lets anyone edit; only owners and Modify All delete). A record without an
 * owner belongs to the org's administrator, never to an API user. Custom fields written need
 * `editable` field permission, as field-level security requires.
 *
 * Users the config gives no permission sets are administrators, as the emulator's users were
 * before it modelled sharing; system writes (`userId` null) are never checked.
 */
export function createAccessCheck(options: SharingOptions): AccessCheck {
  const check: AccessCheck = (kind, type, record, fields, userId) => {
    if (userId === null) return;
    const permissionSets = options.restrictedUsers.get(toId18(userId));
    if (!permissionSets) return;
    const parent = CONTROLLED_BY_PARENT[type];
    if (parent) {
      const parentId = record?.values.get(parent.field);
      const parentRecord = typeof parentId === 'string' ? options.get(parentId) : undefined;
      if (parentRecord) check('edit', parent.object, parentRecord, [], userId);
      return;
    }
    const access = union(permissionSets, type);
    const allowed =
      kind === 'create' ? access.create : kind === 'edit' ? access.edit : access.delete;
    if (!allowed) throw insufficientAccess();
    // Field names arrive as the caller spelled them; API names are case-insensitive.
    const editable = new Set(
      permissionSets.flatMap((set) => [...set.editableFields].map((name) => name.toLowerCase())),
    );
    const denied = fields.find(
      (field) =>
        field.toLowerCase().endsWith('__c') && !editable.has(`${type}.${field}`.toLowerCase()),
    );
    if (denied !== undefined) {
      throw new SalesforceApiError(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${denied}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        { fields: [denied] },
      );
    }
    if (kind === 'create' || record === null || access.modifyAll) return;
    const owner = record.values.get('OwnerId');
    if (typeof owner === 'string' && toId18(owner) === toId18(userId)) return;
    const sharing = options.organizationWideDefaults[type] ?? 'ReadWrite';
    if (kind === 'edit' && sharing === 'ReadWrite') return;
    throw insufficientAccess();
  };
  return check;
}

function union(permissionSets: readonly PermissionSetMetadata[], type: string): ObjectAccess {
  const grants = permissionSets.flatMap((set) => {
    const access = set.objects.get(type);
    return access ? [access] : [];
  });
  const any = (key: keyof ObjectAccess): boolean => grants.some((access) => access[key]);
  return {
    read: any('read') || any('viewAll') || any('modifyAll'),
    create: any('create'),
    edit: any('edit') || any('modifyAll'),
    delete: any('delete') || any('modifyAll'),
    viewAll: any('viewAll') || any('modifyAll'),
    modifyAll: any('modifyAll'),
  };
}

/** Each configured user that has permission sets, by id, with those sets from the metadata. */
export function restrictedUsers(
  users: readonly {
    readonly id: string;
    readonly username: string;
    readonly permissionSets?: readonly string[];
  }[],
  permissionSets: ReadonlyMap<string, PermissionSetMetadata>,
): Map<string, PermissionSetMetadata[]> {
  const restricted = new Map<string, PermissionSetMetadata[]>();
  for (const user of users) {
    if (user.permissionSets === undefined) continue;
    restricted.set(
      toId18(user.id),
      user.permissionSets.map((name) => {
        const found = permissionSets.get(name);
        if (!found) {
          throw new MetadataError(
            `user ${user.username} is assigned the permission set ${name}, which the metadata does not have (${[...permissionSets.keys()].join(', ') || 'none'})`,
          );
        }
        return found;
      }),
    );
  }
  return restricted;
}
