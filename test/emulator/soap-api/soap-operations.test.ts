import jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXml, type XmlElement } from '../../../src/soap/read-xml.ts';
import { startEmulatedOrg, type EmulatedOrg } from '../auth/emulated-org.ts';

const PARTNER = 'urn:partner.soap.sforce.com';

/** A partner SOAP call as any SOAP toolkit sends it; answers the Body element. */
async function call(org: EmulatedOrg, sessionId: string, operation: string): Promise<XmlElement> {
  const response = await fetch(`${org.url}/services/Soap/u/60.0`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
    body:
      `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:api="${PARTNER}">` +
      `<soapenv:Header><api:SessionHeader><api:sessionId>${sessionId}</api:sessionId></api:SessionHeader></soapenv:Header>` +
      `<soapenv:Body>${operation}</soapenv:Body></soapenv:Envelope>`,
  });
  const body = readXml(await response.text()).children.find((c) => c.local === 'Body');
  if (!body) throw new Error('no Body');
  return body;
}
const child = (element: XmlElement | undefined, local: string): XmlElement | undefined =>
  element?.children.find((c) => c.local === local);
const children = (element: XmlElement | undefined, local: string): XmlElement[] =>
  element?.children.filter((c) => c.local === local) ?? [];

describe('SOAP partner API: upsert, delete, undelete, describes, server time', () => {
  let org: EmulatedOrg;
  let sessionId: string;
  let conn: jsforce.Connection;

  beforeAll(async () => {
    org = await startEmulatedOrg();
    sessionId = org.authority.issue(org.admin.id).accessToken;
    conn = new jsforce.Connection({
      instanceUrl: org.url,
      accessToken: sessionId,
      version: '60.0',
    });
  });
  afterAll(async () => {
    await org.close();
  });

  it('upserts by external id through jsforce conn.soap.upsert, telling created from updated', async () => {
    const base = { type: 'Opportunity', StageName: 'Prospecting', CloseDate: '2026-12-01' };
    const first = await conn.soap.upsert('Order_Number__c', [
      { ...base, Name: 'SOAP deal', Order_Number__c: 'SOAP-1' },
    ]);
    expect(first).toEqual([
      { created: true, id: expect.stringMatching(/^006/), success: true, errors: [] },
    ]);
    const second = await conn.soap.upsert('Order_Number__c', [
      { type: 'Opportunity', Name: 'SOAP deal, renamed', Order_Number__c: 'SOAP-1' },
    ]);
    expect(second).toEqual([{ created: false, id: first[0]?.id, success: true, errors: [] }]);
    expect(org.store.get(String(first[0]?.id))?.values.get('Name')).toBe('SOAP deal, renamed');
    const fault = await call(
      org,
      sessionId,
      '<api:upsert><api:externalIDFieldName>Name</api:externalIDFieldName><api:sObjects><type>Opportunity</type><Name>x</Name></api:sObjects></api:upsert>',
    );
    expect(child(child(fault, 'Fault'), 'faultcode')?.text).toBe('sf:INVALID_FIELD');
  });

  it('deletes and undeletes through jsforce, with per-record errors in DeleteResult shape', async () => {
    const [created] = await conn.soap.create([{ type: 'Account', Name: 'Recycled' }]);
    const id = String(created?.id);
    const deleted = await conn.soap.delete([id, 'garbage']);
    expect(deleted[0]).toMatchObject({ id, success: true });
    expect(deleted[1]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'MALFORMED_ID', message: 'malformed id garbage' }],
    });
    expect(org.store.get(id)).toBeUndefined();
    const again = await conn.soap.undelete([id]);
    expect(again).toMatchObject([{ id, success: true }]);
    expect(org.store.get(id)?.values.get('Name')).toBe('Recycled');
    const notDeleted = await conn.soap.undelete([id]);
    expect(notDeleted[0]).toMatchObject({
      success: false,
      errors: [{ statusCode: 'UNDELETE_FAILED' }],
    });
  });

  it('answers getServerTimestamp with the org’s (virtual) time and describeTabs with one app', async () => {
    const { timestamp } = await conn.soap.getServerTimestamp();
    expect(Math.abs(Date.parse(timestamp) - org.clock.now().getTime())).toBeLessThan(5_000);
    const tabs = await conn.soap.describeTabs();
    expect(tabs[0]).toMatchObject({ label: 'Sales', selected: true });
    expect(tabs[0]?.tabs.map((t) => t.sobjectName)).toContain('Opportunity');
  });

  it('describes objects with describeSObject and describeSObjects', async () => {
    const body = await call(
      org,
      sessionId,
      '<api:describeSObjects><api:sObjectType>Account</api:sObjectType><api:sObjectType>Case</api:sObjectType></api:describeSObjects>',
    );
    const results = children(child(body, 'describeSObjectsResponse'), 'result');
    expect(results.map((r) => child(r, 'name')?.text)).toEqual(['Account', 'Case']);
    const owner = children(results[0], 'fields').find((f) => child(f, 'name')?.text === 'OwnerId');
    expect(child(owner, 'nillable')?.text).toBe('false');
    expect(child(owner, 'referenceTo')?.text).toBe('User');
    const single = await call(
      org,
      sessionId,
      '<api:describeSObject><api:sObjectType>Lead</api:sObjectType></api:describeSObject>',
    );
    expect(
      child(child(child(single, 'describeSObjectResponse'), 'result'), 'keyPrefix')?.text,
    ).toBe('00Q');
  });

  it('faults FUNCTIONALITY_NOT_ENABLED, in ApiFault shape, for WSDL operations it does not offer', async () => {
    const body = await call(
      org,
      sessionId,
      '<api:convertLead><api:leadConverts><api:leadId>00Q000000000001AAA</api:leadId></api:leadConverts></api:convertLead>',
    );
    const fault = child(body, 'Fault');
    expect(child(fault, 'faultcode')?.text).toBe('sf:FUNCTIONALITY_NOT_ENABLED');
    const detail = child(child(fault, 'detail'), 'UnexpectedErrorFault');
    expect(child(detail, 'exceptionCode')?.text).toBe('FUNCTIONALITY_NOT_ENABLED');
  });
});

describe('SOAP API usage', () => {
  it('reports the daily API usage in a LimitInfoHeader on every call but login', async () => {
    const org = await startEmulatedOrg();
    try {
      const sessionId = org.authority.issue(org.admin.id).accessToken;
      const response = await fetch(`${org.url}/services/Soap/u/60.0`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
        body:
          `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:api="${PARTNER}">` +
          `<soapenv:Header><api:SessionHeader><api:sessionId>${sessionId}</api:sessionId></api:SessionHeader></soapenv:Header>` +
          '<soapenv:Body><api:getServerTimestamp/></soapenv:Body></soapenv:Envelope>',
      });
      const envelope = readXml(await response.text());
      const info = child(child(child(envelope, 'Header'), 'LimitInfoHeader'), 'limitInfo');
      expect(child(info, 'type')?.text).toBe('API REQUESTS');
      expect(Number(child(info, 'current')?.text)).toBeGreaterThanOrEqual(1);
      expect(child(info, 'limit')?.text).toBe('100000');
    } finally {
      await org.close();
    }
  });
});
