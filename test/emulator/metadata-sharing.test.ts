import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorConfigInput } from '../../src/config/index.ts';
import {
  DEFAULT_METADATA_DIR,
  loadSalesforceMetadata,
  MetadataError,
  type RunningEmulator,
} from '../../src/emulator/index.ts';
import { DEFAULT_EXTERNAL_CLIENT_APP } from '../../src/emulator/auth/index.ts';
import { startTestEmulator } from '../support/emulator.ts';
import { startLoop, type Loop } from '../support/loop.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';
import { waitFor } from '../support/wait-for.ts';

const SOURCE = 'force-app/main/default';
const PERMISSION_SET = `${SOURCE}/permissionsets/SF_Relay_Integration.permissionset-meta.xml`;
const POLICIES = `${SOURCE}/extlClntAppOauthPolicies/SF_Relay_oauthPlcy.ecaOauthPlcy-meta.xml`;
const INTEGRATION = 'integration@sf-relay.example';
const SALES_REP = 'rep@sf-relay.example';

/** The org as salesforce-metadata/ sets it up: the integration user holds the permission set. */
const USERS: EmulatorConfigInput['users'] = [
  { username: INTEGRATION, password: 'pw-integration', permissionSets: ['SF_Relay_Integration'] },
  { username: SALES_REP, password: 'pw-rep', firstName: 'Sam', lastName: 'Rep' },
];

let emulator: RunningEmulator | undefined;
let loop: Loop | undefined;
let dir: TempDir | undefined;
afterEach(async () => {
  await emulator?.close();
  await loop?.stop();
  dir?.remove();
  emulator = undefined;
  loop = undefined;
  dir = undefined;
});

/** A copy of salesforce-metadata/ with one file edited; returns its folder. */
function editedMetadata(file: string, change: (text: string) => string): string {
  dir = makeTempDir();
  const copy = dir.file('metadata');
  cpSync(DEFAULT_METADATA_DIR, copy, { recursive: true });
  const path = join(copy, file);
  const before = readFileSync(path, 'utf8');
  const after = change(before);
  expect(after).not.toBe(before);
  writeFileSync(path, after);
  return copy;
}

/** The shipped permission set without Modify All on Opportunity (View All is read only). */
const withoutModifyAll = (text: string): string =>
  text.replace(
    /<allowDelete>true<\/allowDelete>([\s\S]*?)<modifyAllRecords>true<\/modifyAllRecords>(\s*<object>Opportunity)/,
    '<allowDelete>false</allowDelete>$1<modifyAllRecords>false</modifyAllRecords>$2',
  );

async function clientCredentials(e: RunningEmulator, clientId: string, clientSecret: string) {
  const response = await fetch(`${e.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

function userId(e: RunningEmulator, username: string): string {
  const user = e.users.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`no user ${username}`);
  return user.id;
}

/** An Opportunity owned by `owner` (null: created by the system, so the org's admin owns it). */
function opportunity(e: RunningEmulator, owner: string | null): string {
  return e.store.create(
    'Opportunity',
    {
      Name: 'Acme Fibre',
      StageName: 'Negotiation/Review',
      CloseDate: '2026-12-15',
      ...(owner === null ? {} : { OwnerId: owner }),
    },
    null,
  );
}

async function patch(e: RunningEmulator, token: string, id: string, body: object) {
  const response = await fetch(`${e.url}/services/data/v60.0/sobjects/Opportunity/${id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: response.status === 204 ? null : await response.json() };
}

describe('the external client app in the metadata', () => {
  it('issues client credentials tokens as its run-as user, with its scopes', async () => {
    emulator = await startTestEmulator({ users: USERS });
    const { clientId, clientSecret } = DEFAULT_EXTERNAL_CLIENT_APP;
    const { status, body } = await clientCredentials(emulator, clientId, clientSecret);
    expect(status).toBe(200);
    expect(body.scope).toBe('api');
    expect(body.refresh_token).toBeUndefined();
    expect(emulator.authority.authenticate(body.access_token).username).toBe(INTEGRATION);
  });

  it('takes the consumer key and secret from the config, as Salesforce generates them on deploy', async () => {
    emulator = await startTestEmulator({
      users: USERS,
      externalClientApps: [
        { name: 'SF_Relay', clientId: 'key-from-setup', clientSecret: 'secret-from-setup' },
      ],
    });
    expect((await clientCredentials(emulator, 'key-from-setup', 'secret-from-setup')).status).toBe(
      200,
    );
    const { clientId, clientSecret } = DEFAULT_EXTERNAL_CLIENT_APP;
    expect((await clientCredentials(emulator, clientId, clientSecret)).status).toBe(400);
  });

  it('runs no client credentials flow the policies do not enable', async () => {
    const metadataDir = editedMetadata(POLICIES, (text) =>
      text.replace('<isClientCredentialsFlowEnabled>true', '<isClientCredentialsFlowEnabled>false'),
    );
    emulator = await startTestEmulator({ users: USERS, metadataDir });
    const { clientId, clientSecret } = DEFAULT_EXTERNAL_CLIENT_APP;
    const { status, body } = await clientCredentials(emulator, clientId, clientSecret);
    expect({ status, error: body.error }).toEqual({ status: 400, error: 'invalid_grant' });
  });

  it('refuses an OAuth plugin file for an app that is not there, and a scope it cannot issue', async () => {
    const misnamed = editedMetadata(POLICIES, (text) =>
      text.replace('<externalClientApplication>SF_Relay<', '<externalClientApplication>SF_Relai<'),
    );
    await expect(startTestEmulator({ metadataDir: misnamed })).rejects.toThrow(
      /SF_Relay_oauthPlcy\.ecaOauthPlcy-meta\.xml: externalClientApplication SF_Relai names no app in externalClientApps\/ \(SF_Relay\)/,
    );
    dir?.remove();
    const scoped = editedMetadata(
      `${SOURCE}/extlClntAppOauthSettings/SF_Relay_oauth.ecaOauth-meta.xml`,
      (text) => text.replace('>Api<', '>Api,Chatter<'),
    );
    await expect(startTestEmulator({ metadataDir: scoped })).rejects.toThrow(
      /OAuth scope Chatter is not one the emulator knows/,
    );
  });

  it('refuses credentials for an app the metadata does not have, and an unknown permission set', async () => {
    await expect(
      startTestEmulator({
        externalClientApps: [
          { name: 'No_Such_App', clientId: 'abcdefgh', clientSecret: 'abcdefgh' },
        ],
      }),
    ).rejects.toThrow(/no external client app No_Such_App \(it has SF_Relay\)/);
    await expect(
      startTestEmulator({
        users: [{ username: INTEGRATION, password: 'pw', permissionSets: ['Nope'] }],
      }),
    ).rejects.toThrow(MetadataError);
  });
});

describe('record access for the integration user, as the metadata grants it', () => {
  it('lets it read every field the outbound message sends that field-level security controls', () => {
    // Required standard fields have no field-level security: every user with read on the
    // object reads them. The rest needs `readable` in the permission set, or the read-back's
    // SOQL fails with INVALID_FIELD for the integration user.
    const ALWAYS_READABLE = new Set(['Id', 'Name', 'StageName', 'CloseDate']);
    const xml = readFileSync(join(DEFAULT_METADATA_DIR, PERMISSION_SET), 'utf8');
    const readable = new Set(
      [...xml.matchAll(/<field>([^<]+)<\/field>\s*<readable>true<\/readable>/g)].map(
        (match) => match[1],
      ),
    );
    for (const message of loadSalesforceMetadata(DEFAULT_METADATA_DIR).outboundMessages) {
      const controlled = message.fields.filter((field) => !ALWAYS_READABLE.has(field));
      expect(controlled).toContain('AccountId');
      for (const field of controlled) {
        expect(readable, `${message.object}.${field}`).toContain(`${message.object}.${field}`);
      }
    }
  });

  it('edits an Opportunity someone else owns with the shipped permission set (Modify All)', async () => {
    emulator = await startTestEmulator({ users: USERS });
    const token = emulator.authority.issue(userId(emulator, INTEGRATION)).accessToken;
    for (const owner of [userId(emulator, SALES_REP), null]) {
      const id = opportunity(emulator, owner);
      const reply = await patch(emulator, token, id, { Order_Number__c: `SO-${owner ?? 'admin'}` });
      expect(reply.status).toBe(204);
    }
  });

  it('is denied INSUFFICIENT_ACCESS_OR_READONLY without Modify All, except on its own records', async () => {
    emulator = await startTestEmulator({
      users: USERS,
      metadataDir: editedMetadata(PERMISSION_SET, withoutModifyAll),
    });
    const integration = userId(emulator, INTEGRATION);
    const token = emulator.authority.issue(integration).accessToken;
    const others = opportunity(emulator, userId(emulator, SALES_REP));
    expect(await patch(emulator, token, others, { Order_Number__c: 'SO-1' })).toEqual({
      status: 400,
      body: [
        {
          errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
          message: 'insufficient access rights on object id',
        },
      ],
    });
    expect(emulator.store.get(others)?.values.get('Order_Number__c')).toBeNull();
    // The same denial through the SOAP API, as a per-record save error.
    const soap = await fetch(`${emulator.url}/services/Soap/u/60.0`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
      body:
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com" xmlns:sobj="urn:sobject.partner.soap.sforce.com">' +
        `<soapenv:Header><urn:SessionHeader><urn:sessionId>${token}</urn:sessionId></urn:SessionHeader></soapenv:Header>` +
        `<soapenv:Body><urn:update><urn:sObjects><sobj:type>Opportunity</sobj:type><sobj:Id>${others}</sobj:Id><sobj:Order_Number__c>SO-1</sobj:Order_Number__c></urn:sObjects></urn:update></soapenv:Body></soapenv:Envelope>`,
    });
    expect(await soap.text()).toContain('<statusCode>INSUFFICIENT_ACCESS_OR_READONLY</statusCode>');
    // Its own record, and any record in an org whose sharing default is Public Read/Write.
    const own = opportunity(emulator, integration);
    expect((await patch(emulator, token, own, { Order_Number__c: 'SO-2' })).status).toBe(204);
    await emulator.close();
    emulator = await startTestEmulator({
      users: USERS,
      metadataDir: dir?.file('metadata'),
      organizationWideDefaults: { Opportunity: 'ReadWrite' },
    });
    const shared = opportunity(emulator, userId(emulator, SALES_REP));
    const sharedToken = emulator.authority.issue(userId(emulator, INTEGRATION)).accessToken;
    expect((await patch(emulator, sharedToken, shared, { Order_Number__c: 'SO-3' })).status).toBe(
      204,
    );
  });

  it('cannot edit Accounts, which the permission set only reads; administrators are not limited', async () => {
    emulator = await startTestEmulator({ users: USERS });
    const token = emulator.authority.issue(userId(emulator, INTEGRATION)).accessToken;
    const id = opportunity(emulator, userId(emulator, SALES_REP));
    const account = emulator.store.create('Account', { Name: 'Acme' }, null);
    const editAccount = await fetch(
      `${emulator.url}/services/data/v60.0/sobjects/Account/${account}`,
      {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ Name: 'Acme Ltd' }),
      },
    );
    expect(editAccount.status).toBe(400);
    expect(await editAccount.json()).toMatchObject([
      { errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY' },
    ]);
    // An administrator (a user without permission sets) is not limited.
    const admin = emulator.authority.issue(userId(emulator, SALES_REP)).accessToken;
    expect((await patch(emulator, admin, id, { Order_Number__c: 'SO-9' })).status).toBe(204);
  });

  it('denies an unlisted custom field: field-level security', async () => {
    emulator = await startTestEmulator({
      users: USERS,
      metadataDir: editedMetadata(PERMISSION_SET, (text) =>
        text.replace(
          /<editable>true<\/editable>(\s*<field>Opportunity\.Order_Status__c)/,
          '<editable>false</editable>$1',
        ),
      ),
    });
    const token = emulator.authority.issue(userId(emulator, INTEGRATION)).accessToken;
    const id = opportunity(emulator, null);
    const reply = await patch(emulator, token, id, { order_status__c: 'Created' });
    expect(reply).toMatchObject({
      status: 400,
      body: [{ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['order_status__c'] }],
    });
  });
});

describe('the callback against an org set up by the metadata', () => {
  async function loopOn(metadataDir: string | undefined): Promise<Loop> {
    loop = await startLoop({
      emulator: {
        users: USERS,
        connectedApps: [],
        ...(metadataDir === undefined ? {} : { metadataDir }),
      },
      client: {
        id: DEFAULT_EXTERNAL_CLIENT_APP.clientId,
        secret: DEFAULT_EXTERNAL_CLIENT_APP.clientSecret,
      },
      relay: { worker: { maxAttempts: 3 } },
    });
    return loop;
  }

  /** Closes an Opportunity that the sales rep owns, so only Modify All or sharing lets the callback in. */
  function closeRepsOpportunity(l: Loop): string {
    const id = l.openOpportunity();
    l.emulator.store.update('Opportunity', id, { OwnerId: userId(l.emulator, SALES_REP) }, null);
    l.close(id);
    return id;
  }

  it('writes the order number onto an Opportunity another user owns, with the shipped configuration', async () => {
    const l = await loopOn(undefined);
    const id = closeRepsOpportunity(l);
    const number = await waitFor(
      () => l.emulator.store.get(id)?.values.get('Order_Number__c'),
      'the order number to be written back',
    );
    expect(number).toMatch(/^SO-/);
    const record = l.emulator.store.get(id)?.values;
    expect(record?.get('OwnerId')).toBe(userId(l.emulator, SALES_REP));
    expect(record?.get('LastModifiedById')).toBe(userId(l.emulator, INTEGRATION));
    // The callback's own update leaves the Opportunity Closed Won; the flow's "only when
    // updated to meet the condition" keeps it from firing the message again.
    await waitFor(
      async () => (await l.relay.inbox.countByState()).done === 1,
      'the notification to be done',
    );
    expect(l.emulator.queue.size).toBe(0);
    expect(await l.relay.inbox.list({ recordId: id })).toHaveLength(1);
  });

  it('dead-letters the callback at once, naming the missing access, when the permission set lacks Modify All', async () => {
    const l = await loopOn(editedMetadata(PERMISSION_SET, withoutModifyAll));
    const id = closeRepsOpportunity(l);
    await waitFor(
      async () => (await l.relay.inbox.countByState()).dead === 1,
      'the notification to be dead-lettered',
    );
    const [dead] = await l.relay.inbox.list({ recordId: id });
    // Permanent: no retries spent on what only an admin can fix.
    expect(dead?.attempts).toBe(1);
    expect(dead?.lastError).toMatch(/INSUFFICIENT_ACCESS_OR_READONLY/);
    expect(dead?.lastError).toMatch(/lacks edit access to this record: it needs Modify All/);
    expect(l.emulator.store.get(id)?.values.get('Order_Number__c')).toBeNull();
  });
});

describe("the Apex class's contract in the emulator", () => {
  it('refuses to overwrite a different order number, and takes the same one again', async () => {
    emulator = await startTestEmulator({ users: USERS });
    const e = emulator;
    const token = e.authority.issue(userId(e, INTEGRATION)).accessToken;
    const id = opportunity(e, userId(e, SALES_REP));
    const post = async (orderNumber: string) => {
      const response = await fetch(`${e.url}/services/apexrest/sfrelay/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ opportunityId: id, orderNumber, orderStatus: 'Created' }),
      });
      return { status: response.status, body: (await response.json()) as unknown };
    };
    expect((await post('SO-000001')).status).toBe(200);
    expect(await post('SO-000009')).toEqual({
      status: 409,
      body: [
        {
          errorCode: 'ORDER_NUMBER_CONFLICT',
          message: `Opportunity ${id} already has order number SO-000001; refusing to overwrite it with SO-000009`,
        },
      ],
    });
    expect((await post('so-000001')).status).toBe(200);
    expect(e.store.get(id)?.values.get('Order_Number__c')).toBe('so-000001');
  });
});
