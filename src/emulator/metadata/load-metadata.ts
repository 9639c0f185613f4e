import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { messageOf } from '../../shared/index.ts';
import type { CustomFieldDeclaration } from '../schema/schema.ts';
import type { OutboundMessageDefinition } from '../outbound/definition.ts';
import { readCustomField } from './custom-field.ts';
import { readExternalClientApps, type ExternalClientAppMetadata } from './external-client-apps.ts';
import { readPermissionSet, type PermissionSetMetadata } from './permission-sets.ts';
import { readFlowTrigger, type FlowTrigger } from './flow-triggers.ts';
import { MetadataError } from './metadata-error.ts';
import {
  readWorkflowOutboundMessages,
  type OutboundMessageMetadata,
} from './workflow-outbound-messages.ts';

/** The repository's `salesforce-metadata/`: what a user deploys, and what the emulator runs. */
export const DEFAULT_METADATA_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../salesforce-metadata',
);

/** An outbound message definition from metadata; the emulator gives it its `04k` id. */
export type MetadataOutboundMessage = Omit<OutboundMessageDefinition, 'actionId'>;

export interface SalesforceMetadata {
  readonly dir: string;
  readonly customFields: readonly CustomFieldDeclaration[];
  /** Definitions an active flow fires, with that flow's criteria. */
  readonly outboundMessages: readonly MetadataOutboundMessage[];
  /** The OAuth clients the package deploys (their keys and secrets come from the config). */
  readonly externalClientApps: readonly ExternalClientAppMetadata[];
  /** By name: what users assigned them may do to records. */
  readonly permissionSets: ReadonlyMap<string, PermissionSetMetadata>;
}

const projectSchema = z.object({
  packageDirectories: z.array(z.object({ path: z.string().min(1) })).min(1),
});

/**
 * Reads an SFDX project (`sfdx-project.json`, source format in its package directories) for
 * what the emulator models: custom fields, outbound message definitions, and the
 * record-triggered flows that fire them, external client apps and permission sets. Throws `MetadataError` naming the file and element.
 */
export function loadSalesforceMetadata(dir: string): SalesforceMetadata {
  const projectFile = join(dir, 'sfdx-project.json');
  let project: z.infer<typeof projectSchema>;
  try {
    project = projectSchema.parse(JSON.parse(readFileSync(projectFile, 'utf8')));
  } catch (cause) {
    throw new MetadataError(`${projectFile}: not a usable SFDX project file: ${messageOf(cause)}`, {
      cause,
    });
  }
  const files = project.packageDirectories.flatMap((pkg) => listFiles(join(dir, pkg.path)));

  const customFields: CustomFieldDeclaration[] = [];
  const messages: OutboundMessageMetadata[] = [];
  const triggers: FlowTrigger[] = [];
  const permissionSets = new Map<string, PermissionSetMetadata>();
  for (const file of files) {
    if (file.endsWith('.field-meta.xml') && basename(dirname(file)) === 'fields') {
      customFields.push(readCustomField(file, basename(dirname(dirname(file)))));
    } else if (file.endsWith('.workflow-meta.xml')) {
      messages.push(...readWorkflowOutboundMessages(file));
    } else if (file.endsWith('.flow-meta.xml')) {
      const trigger = readFlowTrigger(file);
      if (trigger) triggers.push(trigger);
    } else if (file.endsWith('.permissionset-meta.xml')) {
      const permissionSet = readPermissionSet(file);
      if (permissionSet) permissionSets.set(permissionSet.name, permissionSet);
    }
  }
  return {
    dir,
    customFields,
    outboundMessages: wire(messages, triggers),
    externalClientApps: readExternalClientApps(files),
    permissionSets,
  };
}

/** Each outbound message fired by a flow, with the flow's criteria; unfired ones never send. */
function wire(
  messages: readonly OutboundMessageMetadata[],
  triggers: readonly FlowTrigger[],
): MetadataOutboundMessage[] {
  const byAction = new Map(
    messages.map((message) => [`${message.object}.${message.name}`, message]),
  );
  const definitions: MetadataOutboundMessage[] = [];
  for (const trigger of triggers) {
    for (const action of trigger.actions) {
      const message = byAction.get(action);
      if (!message) {
        throw new MetadataError(
          `${trigger.file}: the action ${action} names no outbound message in the workflows (${[...byAction.keys()].join(', ') || 'none'})`,
        );
      }
      if (message.object !== trigger.object) {
        throw new MetadataError(
          `${trigger.file}: the flow runs on ${trigger.object} but ${action} is an outbound message on ${message.object}`,
        );
      }
      if (definitions.some((definition) => definition.name === message.name)) {
        throw new MetadataError(
          `${trigger.file}: ${action} is fired by more than one flow; the emulator models one`,
        );
      }
      definitions.push({
        name: message.name,
        object: message.object,
        fields: message.fields,
        endpointUrl: message.endpointUrl,
        userToSendAs: message.userToSendAs,
        includeSessionId: message.includeSessionId,
        criteria: trigger.criteria,
      });
    }
  }
  return definitions;
}

function listFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (cause) {
    throw new MetadataError(`cannot read the metadata folder ${dir}: ${messageOf(cause)}`, {
      cause,
    });
  }
  return entries
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) =>
      entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
    );
}
