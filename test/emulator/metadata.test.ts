import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_METADATA_DIR,
  loadSalesforceMetadata,
  METADATA_NS,
  MetadataError,
  type RunningEmulator,
} from '../../src/emulator/index.ts';
import {
  DEFAULT_OUTBOUND_WSDL,
  boundObject,
  readOutboundWsdl,
  readXml,
  type XmlElement,
} from '../../src/soap/index.ts';
import { startCaptureEndpoint, type CaptureEndpoint } from '../support/capture-endpoint.ts';
import { startTestEmulator } from '../support/emulator.ts';
import { runCli } from '../support/relay-process.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

const SOURCE = join(DEFAULT_METADATA_DIR, 'force-app/main/default');
const WORKFLOW = 'force-app/main/default/workflows/Opportunity.workflow-meta.xml';
const FLOW = 'force-app/main/default/flows/SF_Relay_Opportunity_Closed_Won.flow-meta.xml';

/** The Metadata API type each source-format suffix holds (its root element). */
const ROOTS: Readonly<Record<string, string>> = {
  '.field-meta.xml': 'CustomField',
  '.workflow-meta.xml': 'Workflow',
  '.flow-meta.xml': 'Flow',
  '.permissionset-meta.xml': 'PermissionSet',
  '.cls-meta.xml': 'ApexClass',
  '.eca-meta.xml': 'ExternalClientApplication',
  '.ecaGlblOauth-meta.xml': 'ExtlClntAppGlobalOauthSettings',
  '.ecaOauth-meta.xml': 'ExtlClntAppOauthSettings',
  '.ecaOauthPlcy-meta.xml': 'ExtlClntAppOauthConfigurablePolicies',
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

const texts = (parent: XmlElement, name: string): string[] =>
  parent.children.filter((child) => child.local === name).map((child) => child.text.trim());
const child = (parent: XmlElement, name: string): XmlElement => {
  const found = parent.children.find((candidate) => candidate.local === name);
  if (!found) throw new Error(`<${parent.local}> has no <${name}>`);
  return found;
};
const read = (file: string): XmlElement => readXml(readFileSync(file));

let emulator: RunningEmulator | undefined;
let endpoint: CaptureEndpoint | undefined;
let dir: TempDir | undefined;
afterEach(async () => {
  await emulator?.close();
  await endpoint?.close();
  dir?.remove();
  emulator = undefined;
  endpoint = undefined;
  dir = undefined;
});

describe('salesforce-metadata/', () => {
  it('is an SFDX project whose every XML file is well-formed Metadata API source of the type its name says', () => {
    const project = JSON.parse(
      readFileSync(join(DEFAULT_METADATA_DIR, 'sfdx-project.json'), 'utf8'),
    ) as { packageDirectories: { path: string; default?: boolean }[]; sourceApiVersion: string };
    expect(project.packageDirectories).toEqual([{ path: 'force-app', default: true }]);
    expect(project.sourceApiVersion).toMatch(/^\d+\.0$/);

    const files = filesUnder(SOURCE);
    const xml = files.filter((file) => file.endsWith('.xml'));
    const types = xml.map((file) => {
      const suffix = Object.keys(ROOTS).find((candidate) => file.endsWith(candidate));
      expect(suffix, `${relative(SOURCE, file)} has a known source-format suffix`).toBeDefined();
      const root = read(file);
      expect({ file: relative(SOURCE, file), uri: root.uri, local: root.local }).toEqual({
        file: relative(SOURCE, file),
        uri: METADATA_NS,
        local: ROOTS[suffix ?? ''],
      });
      return root.local;
    });
    expect(new Set(types)).toEqual(new Set(Object.values(ROOTS)));
    // Every Apex class has its meta file, and the other way round.
    const classes = files.filter((file) => file.endsWith('.cls'));
    expect(classes.map((file) => `${file}-meta.xml`)).toEqual(
      files.filter((file) => file.endsWith('.cls-meta.xml')),
    );
  });

  it('holds together: the flow fires the workflow message, the permission set and Apex class name what exists', () => {
    const workflow = read(join(DEFAULT_METADATA_DIR, WORKFLOW));
    const message = child(workflow, 'outboundMessages');
    const flow = read(join(DEFAULT_METADATA_DIR, FLOW));
    const action = child(flow, 'actionCalls');
    expect(texts(action, 'actionType')).toEqual(['outboundMessage']);
    expect(texts(action, 'actionName')).toEqual([`Opportunity.${texts(message, 'fullName')[0]}`]);
    expect(texts(flow, 'status')).toEqual(['Active']);
    expect(texts(child(flow, 'start'), 'triggerType')).toEqual(['RecordAfterSave']);
    // Loop prevention: the user to send as is the callback's user, without Send Outbound Messages.
    const permissionSet = read(
      join(SOURCE, 'permissionsets/SF_Relay_Integration.permissionset-meta.xml'),
    );
    const userPermissions = permissionSet.children
      .filter((candidate) => candidate.local === 'userPermissions')
      .flatMap((permission) => texts(permission, 'name'));
    expect(userPermissions).toContain('ApiEnabled');
    expect(userPermissions).not.toContain('SendOutboundMessages');
    const fieldPermissions = permissionSet.children
      .filter((candidate) => candidate.local === 'fieldPermissions')
      .flatMap((permission) => texts(permission, 'field'));
    for (const field of fieldPermissions.filter((name) => name.endsWith('__c'))) {
      const [object, name] = field.split('.');
      expect(filesUnder(SOURCE)).toContain(
        join(SOURCE, `objects/${object}/fields/${name}.field-meta.xml`),
      );
    }
    const apexClass = texts(child(permissionSet, 'classAccesses'), 'apexClass')[0];
    const source = readFileSync(join(SOURCE, `classes/${apexClass}.cls`), 'utf8');
    // The path the emulator answers and the worker's apex-rest callback calls.
    expect(source).toContain(`@RestResource(urlMapping='/sfrelay/orders')`);
    // The external client app's client credentials flow runs as the user the message is sent
    // as, in both the developer's global settings and the admin's policies.
    const policies = read(
      join(SOURCE, 'extlClntAppOauthPolicies/SF_Relay_oauthPlcy.ecaOauthPlcy-meta.xml'),
    );
    expect(texts(policies, 'isClientCredentialsFlowEnabled')).toEqual(['true']);
    expect(texts(policies, 'clientCredentialsFlowUser')).toEqual(texts(message, 'integrationUser'));
    const global = read(
      join(SOURCE, 'extlClntAppGlobalOauthSets/SF_Relay_glbloauth.ecaGlblOauth-meta.xml'),
    );
    expect(texts(global, 'isClientCredentialsFlowEnabled')).toEqual(['true']);
    for (const file of [
      'extlClntAppGlobalOauthSets/SF_Relay_glbloauth.ecaGlblOauth-meta.xml',
      'extlClntAppOauthSettings/SF_Relay_oauth.ecaOauth-meta.xml',
      'extlClntAppOauthPolicies/SF_Relay_oauthPlcy.ecaOauthPlcy-meta.xml',
    ]) {
      expect(texts(read(join(SOURCE, file)), 'externalClientApplication'), file).toEqual([
        'SF_Relay',
      ]);
    }
    // The optional connected app, for orgs where Support re-enabled them, stays in its own
    // SFDX project, so a deploy of the main one never includes it.
    const app = read(
      join(
        DEFAULT_METADATA_DIR,
        'connected-app/main/default/connectedApps/SF_Relay.connectedApp-meta.xml',
      ),
    );
    const oauth = child(app, 'oauthConfig');
    expect(texts(oauth, 'isClientCredentialEnabled')).toEqual(['true']);
    expect(texts(oauth, 'oauthClientCredentialUser')).toEqual(texts(message, 'integrationUser'));
  });

  it("is where the emulator's outbound message definition and custom fields come from", async () => {
    const workflow = read(join(DEFAULT_METADATA_DIR, WORKFLOW));
    const message = child(workflow, 'outboundMessages');
    emulator = await startTestEmulator();
    const [definition, ...others] = emulator.definitions.list();
    expect(others).toEqual([]);
    expect(definition).toMatchObject({
      name: texts(message, 'fullName')[0],
      object: 'Opportunity',
      fields: texts(message, 'fields').filter((field) => field !== 'Id'),
      endpointUrl: texts(message, 'endpointUrl')[0],
      userToSendAs: texts(message, 'integrationUser')[0],
      includeSessionId: false,
      criteria: {
        field: 'StageName',
        equals: 'Closed Won',
        triggerType: 'onCreateOrTriggeringUpdate',
      },
    });
    const response = await fetch(
      `${emulator.url}/services/data/v60.0/sobjects/Opportunity/describe`,
      { headers: { authorization: `Bearer ${emulator.accessToken}` } },
    );
    const describe = (await response.json()) as {
      fields: {
        name: string;
        externalId: boolean;
        unique: boolean;
        picklistValues: { value: string }[];
      }[];
    };
    const statusFile = read(
      join(SOURCE, 'objects/Opportunity/fields/Order_Status__c.field-meta.xml'),
    );
    const values = child(child(statusFile, 'valueSet'), 'valueSetDefinition')
      .children.filter((candidate) => candidate.local === 'value')
      .flatMap((value) => texts(value, 'fullName'));
    const status = describe.fields.find((field) => field.name === 'Order_Status__c');
    expect(status?.picklistValues.map((value) => value.value)).toEqual(values);
    expect(describe.fields.find((field) => field.name === 'Order_Number__c')).toMatchObject({
      externalId: true,
      unique: true,
    });
  });

  it("declares nothing the listener's default WSDL would refuse", () => {
    const wsdl = boundObject(readOutboundWsdl(DEFAULT_OUTBOUND_WSDL, 'default').contract);
    const declared = wsdl.fields.map((field) => field.name);
    for (const definition of loadSalesforceMetadata(DEFAULT_METADATA_DIR).outboundMessages) {
      expect(declared).toEqual(expect.arrayContaining([...definition.fields]));
    }
  });
});

/** A copy of salesforce-metadata/ to edit, and an emulator on it sending to a capture endpoint. */
async function emulatorOnEditedMetadata(edit: (copy: string) => void) {
  dir = makeTempDir();
  const copy = dir.file('metadata');
  cpSync(DEFAULT_METADATA_DIR, copy, { recursive: true });
  edit(copy);
  endpoint = await startCaptureEndpoint();
  emulator = await startTestEmulator({
    metadataDir: copy,
    delivery: { pollMs: 3_600_000, timeoutSeconds: 5, maxConcurrent: 4 },
    outboundMessages: [{ name: 'Opportunity_Closed_Won', endpointUrl: endpoint.url }],
  });
  return { emulator, endpoint };
}

function editFile(root: string, file: string, change: (text: string) => string): void {
  const path = join(root, file);
  const before = readFileSync(path, 'utf8');
  const after = change(before);
  expect(after).not.toBe(before);
  writeFileSync(path, after);
}

describe('the emulator on edited metadata', () => {
  it('sends the fields the outbound message in the metadata lists', async () => {
    const { emulator: e, endpoint: ep } = await emulatorOnEditedMetadata((copy) =>
      editFile(copy, WORKFLOW, (text) =>
        text
          .replace('<fields>AccountId</fields>', '<fields>Description</fields>')
          .replace('<fields>Amount</fields>', '<fields>Probability</fields>'),
      ),
    );
    const id = e.store.create(
      'Opportunity',
      {
        Name: 'Acme Fibre',
        StageName: 'Prospecting',
        CloseDate: '2026-12-01',
        Amount: 1200,
        Probability: 90,
        Description: 'fibre, 36 months',
      },
      null,
    );
    e.store.update('Opportunity', id, { StageName: 'Closed Won' }, null);
    await e.sender.tick();
    expect(ep.deliveries).toHaveLength(1);
    const sObject = ep.deliveries[0]?.message.notifications[0]?.sObject;
    expect(sObject?.fields).toEqual({
      CloseDate: '2026-12-01',
      Description: 'fibre, 36 months',
      Name: 'Acme Fibre',
      // Closing sets the stage's default probability, as Salesforce's sales process does.
      Probability: '100.0',
      StageName: 'Closed Won',
    });
  });

  it("fires on the flow's entry condition as the metadata states it", async () => {
    const { emulator: e, endpoint: ep } = await emulatorOnEditedMetadata((copy) =>
      editFile(copy, FLOW, (text) =>
        text.replace(
          '<stringValue>Closed Won</stringValue>',
          '<stringValue>Negotiation/Review</stringValue>',
        ),
      ),
    );
    const id = e.store.create(
      'Opportunity',
      { Name: 'Acme Fibre', StageName: 'Prospecting', CloseDate: '2026-12-01' },
      null,
    );
    e.store.update('Opportunity', id, { StageName: 'Closed Won' }, null);
    expect(e.queue.size).toBe(0);
    e.store.update('Opportunity', id, { StageName: 'Negotiation/Review' }, null);
    expect(e.queue.size).toBe(1);
    await e.sender.tick();
    expect(ep.deliveries[0]?.message.notifications[0]?.sObject?.fields.StageName).toBe(
      'Negotiation/Review',
    );
  });

  it('refuses metadata it cannot run, naming the file', async () => {
    await expect(
      emulatorOnEditedMetadata((copy) =>
        editFile(copy, FLOW, (text) =>
          text.replace('Opportunity.Opportunity_Closed_Won', 'Opportunity.No_Such_Message'),
        ),
      ),
    ).rejects.toThrow(MetadataError);
    await expect(startTestEmulator({ metadataDir: dir?.file('metadata') })).rejects.toThrow(
      /SF_Relay_Opportunity_Closed_Won\.flow-meta\.xml: the action Opportunity\.No_Such_Message names no outbound message/,
    );
    const run = await runCli([
      'emulator',
      '--port',
      '0',
      '--metadata',
      dir?.file('nothing-here') ?? '',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/nothing-here\/sfdx-project\.json: not a usable SFDX project file/);
  });
});
