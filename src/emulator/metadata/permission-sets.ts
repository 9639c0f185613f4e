import { basename, dirname } from 'node:path';
import { booleanText, childrenNamed, readMetadataFile, requiredText } from './metadata-xml.ts';

/** What a permission set grants on one object (`objectPermissions`). */
export interface ObjectAccess {
  readonly read: boolean;
  readonly create: boolean;
  readonly edit: boolean;
  readonly delete: boolean;
  readonly viewAll: boolean;
  readonly modifyAll: boolean;
}

export interface PermissionSetMetadata {
  readonly name: string;
  /** By object API name. */
  readonly objects: ReadonlyMap<string, ObjectAccess>;
  /** `Object.Field` of each field it lets its users edit (`fieldPermissions` editable). */
  readonly editableFields: ReadonlySet<string>;
  readonly file: string;
}

/** Reads one `permissionsets/<Name>.permissionset-meta.xml`. */
export function readPermissionSet(file: string): PermissionSetMetadata | undefined {
  if (basename(dirname(file)) !== 'permissionsets') return undefined;
  const root = readMetadataFile(file, 'PermissionSet');
  const objects = new Map<string, ObjectAccess>();
  for (const permission of childrenNamed(root, 'objectPermissions')) {
    const flag = (name: string): boolean => booleanText(permission, name, file);
    objects.set(requiredText(permission, 'object', file), {
      read: flag('allowRead'),
      create: flag('allowCreate'),
      edit: flag('allowEdit'),
      delete: flag('allowDelete'),
      viewAll: flag('viewAllRecords'),
      modifyAll: flag('modifyAllRecords'),
    });
  }
  const editableFields = new Set(
    childrenNamed(root, 'fieldPermissions')
      .filter((permission) => booleanText(permission, 'editable', file))
      .map((permission) => requiredText(permission, 'field', file)),
  );
  return {
    name: basename(file, '.permissionset-meta.xml'),
    objects,
    editableFields,
    file,
  };
}
