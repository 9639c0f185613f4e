import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_METADATA_DIR } from '../../src/emulator/index.ts';
import { readXml } from '../../src/soap/index.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import {
  EXTERNAL_CLIENT_APP_TYPES,
  EXTERNAL_CLIENT_APP_VALUES,
} from './metadata-schema/external-client-app-reference.ts';
import { readMetadataWsdl, type MetadataSchema } from './metadata-schema/metadata-wsdl.ts';
import { NEWER_ELEMENTS, schemaAdditions } from './metadata-schema/newer-elements.ts';
import { validateElement } from './metadata-schema/validate.ts';

/** Source-format suffix → the Metadata API type its root element must be. */
const SUFFIXES: Readonly<Record<string, string>> = {
  '.field-meta.xml': 'CustomField',
  '.workflow-meta.xml': 'Workflow',
  '.flow-meta.xml': 'Flow',
  '.permissionset-meta.xml': 'PermissionSet',
  '.connectedApp-meta.xml': 'ConnectedApp',
  '.cls-meta.xml': 'ApexClass',
  ...Object.fromEntries(
    Object.entries(EXTERNAL_CLIENT_APP_TYPES).map(([type, reference]) => [reference.suffix, type]),
  ),
};

function metadataSchema(): MetadataSchema {
  const additions = schemaAdditions();
  return readMetadataWsdl({
    elements: additions.elements,
    values: { ...additions.values, ...EXTERNAL_CLIENT_APP_VALUES },
    types: {
      ...additions.types,
      ...Object.fromEntries(
        Object.entries(EXTERNAL_CLIENT_APP_TYPES).map(([type, reference]) => [
          type,
          reference.rules,
        ]),
      ),
    },
  });
}

/** Every metadata XML file under `dir`, with the problems the schema finds in it. */
function validateTree(dir: string, schema: MetadataSchema): Record<string, string[]> {
  const results: Record<string, string[]> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('-meta.xml')) continue;
    const file = join(entry.parentPath, entry.name);
    const suffix = Object.keys(SUFFIXES).find((candidate) => entry.name.endsWith(candidate));
    const root = readXml(readFileSync(file));
    const problems: string[] = [];
    if (suffix === undefined) problems.push('no known source-format suffix');
    else if (root.local !== SUFFIXES[suffix]) {
      problems.push(`the root is <${root.local}>, a ${suffix} file holds <${SUFFIXES[suffix]}>`);
    } else problems.push(...validateElement(root, root.local, schema));
    results[relative(dir, file)] = problems;
  }
  return results;
}

const schema = metadataSchema();

describe('salesforce-metadata/ against the Metadata API schema', () => {
  it('reads the schema from the WSDL jsforce ships', () => {
    expect(schema.version).toBe('47.0');
    expect(schema.sequence('PermissionSet')?.map((rule) => rule.name)).toContain(
      'objectPermissions',
    );
  });

  it('places newer elements where a retrieve would: the sequences they join are alphabetical', () => {
    const wsdl = readMetadataWsdl();
    for (const type of Object.keys(NEWER_ELEMENTS)) {
      const names = wsdl.ownSequence(type)?.map((rule) => rule.name) ?? [];
      expect(names.length, type).toBeGreaterThan(0);
      expect(names, type).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    }
  });

  it('validates every metadata file, in both SFDX projects', () => {
    const results = validateTree(DEFAULT_METADATA_DIR, schema);
    // The files the deploy needs are all here and were all checked.
    expect(
      Object.keys(results)
        .map((file) => basename(dirname(file)))
        .sort(),
    ).toEqual(
      expect.arrayContaining([
        'classes',
        'connectedApps',
        'externalClientApps',
        'extlClntAppGlobalOauthSets',
        'extlClntAppOauthPolicies',
        'extlClntAppOauthSettings',
        'fields',
        'flows',
        'permissionsets',
        'workflows',
      ]),
    );
    expect(results).toEqual(Object.fromEntries(Object.keys(results).map((file) => [file, []])));
  });

  it('keeps each external client app file in the folder its type is stored in', () => {
    for (const [type, reference] of Object.entries(EXTERNAL_CLIENT_APP_TYPES)) {
      const folder = join(DEFAULT_METADATA_DIR, 'force-app/main/default', reference.folder);
      const files = readdirSync(folder);
      expect(files.length, type).toBeGreaterThan(0);
      for (const file of files) expect(file.endsWith(reference.suffix), file).toBe(true);
    }
  });

  it('commits no OAuth consumer secret', () => {
    for (const entry of readdirSync(DEFAULT_METADATA_DIR, {
      recursive: true,
      withFileTypes: true,
    })) {
      if (!entry.isFile()) continue;
      const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
      expect(text, entry.name).not.toMatch(/<consumer(Key|Secret)>|<certificate>/);
    }
  });

  const swap =
    (from: string, to: string) =>
    (text: string): string =>
      text.replaceAll(from, to);
  it.each([
    [
      'a misspelled element',
      'flows/SF_Relay_Opportunity_Closed_Won.flow-meta.xml',
      swap('triggerType>', 'trigerType>'),
      /<FlowStart> has no element <trigerType>/,
    ],
    [
      'a misspelled external client app element',
      'extlClntAppOauthPolicies/SF_Relay_oauthPlcy.ecaOauthPlcy-meta.xml',
      swap('clientCredentialsFlowUser>', 'clientCredentialFlowUser>'),
      /has no element <clientCredentialFlowUser>/,
    ],
    [
      'elements out of order',
      'objects/Opportunity/fields/Order_Number__c.field-meta.xml',
      (text: string) =>
        text
          .replace('    <label>Order Number</label>\n', '')
          .replace('<type>Text</type>', '<type>Text</type>\n    <label>Order Number</label>'),
      /out of order, <unique> must come before <label>|<label> must come before/,
    ],
    [
      'a value that is not a boolean',
      'permissionsets/SF_Relay_Integration.permissionset-meta.xml',
      swap('<hasActivationRequired>false', '<hasActivationRequired>maybe'),
      /"maybe" is not a boolean/,
    ],
    [
      'a value outside an enumeration',
      'flows/SF_Relay_Opportunity_Closed_Won.flow-meta.xml',
      swap('<triggerType>RecordAfterSave', '<triggerType>RecordAfterSafe'),
      /"RecordAfterSafe" is not a FlowTriggerType/,
    ],
    [
      'a missing required element',
      'extlClntAppOauthSettings/SF_Relay_oauth.ecaOauth-meta.xml',
      swap('<externalClientApplication>SF_Relay</externalClientApplication>', ''),
      /required <externalClientApplication> is missing/,
    ],
  ])('fails on %s in a copy', (_what, file, change, problem) => {
    const dir = makeTempDir();
    try {
      const copy = dir.file('metadata');
      cpSync(DEFAULT_METADATA_DIR, copy, { recursive: true });
      const path = join(copy, 'force-app/main/default', file);
      const before = readFileSync(path, 'utf8');
      const after = change(before);
      expect(after).not.toBe(before);
      writeFileSync(path, after);
      const problems = validateTree(copy, schema)[relative(copy, path)];
      expect(problems?.join('\n')).toMatch(problem);
    } finally {
      dir.remove();
    }
  });
});
