import jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXml, type XmlElement } from '../../../src/soap/read-xml.ts';
import { ORG_ID, startEmulatedOrg, type EmulatedOrg } from '../auth/emulated-org.ts';

const PARTNER = 'urn:partner.soap.sforce.com';
const ENTERPRISE = 'urn:enterprise.soap.sforce.com';

interface SoapReply {
  readonly status: number;
  readonly text: string;
  readonly body: XmlElement;
}

async function call(
  org: EmulatedOrg,
  path: string,
  operation: string,
  options: { sessionId?: string; headers?: string; namespace?: string } = {},
): Promise<SoapReply> {
  const ns = options.namespace ?? (path.includes('/c/') ? ENTERPRISE : PARTNER);
  const session =
    options.sessionId === undefined
      ? ''
      : `<api:SessionHeader><api:sessionId>${options.sessionId}</api:sessionId></api:SessionHeader>`;
  const response = await fetch(`${org.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
    body:
      `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"` +
      ` xmlns:api="${ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"` +
      ` xmlns:ent="urn:sobject.enterprise.soap.sforce.com">` +
      `<soapenv:Header>${session}${options.headers ?? ''}</soapenv:Header><soapenv:Body>${operation}</soapenv:Body></soapenv:Envelope>`,
  });
  const text = await response.text();
  const envelope = readXml(text);
  const body = envelope.children.find((c) => c.local === 'Body');
  if (!body) throw new Error(`no Body in ${text}`);
  return { status: response.status, text, body };
}

const child = (element: XmlElement | undefined, local: string): XmlElement | undefined =>
  element?.children.find((c) => c.local === local);
const children = (element: XmlElement | undefined, local: string): XmlElement[] =>
  element?.children.filter((c) => c.local === local) ?? [];
const text = (element: XmlElement | undefined, local: string): string | undefined =>
  child(element, local)?.text;

describe('SOAP API', () => {
  let org: EmulatedOrg;
  let sessionId: string;

  beforeAll(async () => {
    org = await startEmulatedOrg();
    sessionId = org.authority.issue(org.admin.id).accessToken;
  });
  afterAll(async () => {
    await org.close();
  });

  it('logs jsforce in with SOAP login and gives it a partner server URL with the 15-character org id', async () => {
    const conn = new jsforce.Connection({ loginUrl: org.url, version: '60.0' });
    const info = await conn.login(org.admin.username, org.admin.password);
    expect(info).toMatchObject({ id: org.admin.id, organizationId: ORG_ID });
    expect(conn.instanceUrl).toBe(org.url);
    expect(org.authority.authenticate(conn.accessToken ?? '').userId).toBe(org.admin.id);

    const raw = await call(
      org,
      '/services/Soap/u/60.0',
      `<api:login><api:username>${org.admin.username}</api:username><api:password>${org.admin.password}</api:password></api:login>`,
    );
    const result = child(child(raw.body, 'loginResponse'), 'result');
    expect(result?.children.map((c) => c.local)).toEqual([
      'metadataServerUrl',
      'passwordExpired',
      'sandbox',
      'serverUrl',
      'sessionId',
      'userId',
      'userInfo',
    ]);
    expect(text(result, 'serverUrl')).toBe(`${org.url}/services/Soap/u/60.0/00D5g000004Xyz1`);
    expect(text(result, 'metadataServerUrl')).toBe(
      `${org.url}/services/Soap/m/60.0/00D5g000004Xyz1`,
    );
    expect(text(child(result, 'userInfo'), 'userFullName')).toBe('Ada Admin');

    const enterprise = await call(
      org,
      '/services/Soap/c/60.0',
      `<api:login><api:username>${org.admin.username}</api:username><api:password>${org.admin.password}</api:password></api:login>`,
    );
    expect(text(child(child(enterprise.body, 'loginResponse'), 'result'), 'serverUrl')).toBe(
      `${org.url}/services/Soap/c/60.0/00D5g000004Xyz1`,
    );
  });

  it('refuses a bad login with INVALID_LOGIN as a LoginFault', async () => {
    const conn = new jsforce.Connection({ loginUrl: org.url, version: '60.0' });
    await expect(conn.login(org.admin.username, 'wrong')).rejects.toThrow(
      'INVALID_LOGIN: Invalid username, password, security token; or user locked out.',
    );
    const raw = await call(
      org,
      '/services/Soap/u/60.0',
      `<api:login><api:username>x</api:username><api:password>y</api:password></api:login>`,
    );
    expect(raw.status).toBe(500);
    const fault = child(raw.body, 'Fault');
    expect(text(fault, 'faultcode')).toBe('sf:INVALID_LOGIN');
    const detail = child(child(fault, 'detail'), 'LoginFault');
    expect(detail?.uri).toBe('urn:fault.partner.soap.sforce.com');
    expect(detail?.xsiType).toEqual({
      uri: 'urn:fault.partner.soap.sforce.com',
      local: 'LoginFault',
    });
    expect(text(detail, 'exceptionCode')).toBe('INVALID_LOGIN');
  });

  it('has no login operation from API 65.0, as Salesforce removed it', async () => {
    const raw = await call(
      org,
      '/services/Soap/u/65.0',
      `<api:login><api:username>x</api:username><api:password>y</api:password></api:login>`,
    );
    expect(raw.status).toBe(500);
    expect(text(child(raw.body, 'Fault'), 'faultcode')).toBe('soapenv:Client');
  });

  it('faults INVALID_SESSION_ID in Salesforce’s exact shape without a valid session', async () => {
    const missing = await call(org, '/services/Soap/u/60.0', '<api:getUserInfo/>');
    expect(missing.status).toBe(500);
    expect(missing.text).toContain(
      '<soapenv:Fault><faultcode>sf:INVALID_SESSION_ID</faultcode><faultstring>INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session</faultstring>' +
        '<detail><sf:UnexpectedErrorFault xsi:type="sf:UnexpectedErrorFault"><sf:exceptionCode>INVALID_SESSION_ID</sf:exceptionCode>' +
        '<sf:exceptionMessage>Invalid Session ID found in SessionHeader: Illegal Session</sf:exceptionMessage></sf:UnexpectedErrorFault></detail></soapenv:Fault>',
    );
    const unknown = await call(org, '/services/Soap/u/60.0', '<api:getUserInfo/>', {
      sessionId: `${ORG_ID.slice(0, 15)}!AQnothing`,
    });
    expect(text(child(unknown.body, 'Fault'), 'faultstring')).toMatch(
      /^INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session\. Session not found, missing session hash: \S+$/,
    );
  });

  it('creates, updates and reads user info through jsforce’s partner SOAP calls', async () => {
    const conn = new jsforce.Connection({
      instanceUrl: org.url,
      accessToken: sessionId,
      version: '60.0',
    });
    const results = await conn.soap.create(
      [
        { type: 'Account', Name: 'Acme', NumberOfEmployees: undefined, BillingCity: 'Lyon' },
        { type: 'Account', BillingCity: 'Nowhere' },
      ].map(({ NumberOfEmployees: _unused, ...record }) => record),
    );
    expect(results[0]).toMatchObject({ success: true });
    expect(results[0]?.id).toMatch(/^001[A-Za-z0-9]{15}$/);
    expect(results[1]).toMatchObject({
      success: false,
      errors: [
        {
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [Name]',
          fields: ['Name'],
        },
      ],
    });
    const id = String(results[0]?.id);
    const updated = await conn.soap.update([
      { type: 'Account', Id: id, Name: 'Acme Ltd', BillingCity: null },
    ]);
    expect(updated).toEqual([{ id, success: true, errors: [] }]);
    expect(org.store.get(id)?.values.get('Name')).toBe('Acme Ltd');
    expect(org.store.get(id)?.values.get('BillingCity')).toBeNull();
    expect(org.store.get(id)?.values.get('LastModifiedById')).toBe(org.admin.id);

    const info = await conn.soap.getUserInfo();
    expect(info).toMatchObject({
      organizationId: ORG_ID,
      userId: org.admin.id,
      userName: org.admin.username,
      userEmail: org.admin.email,
      sessionSecondsValid: 7200,
    });
  });

  it('reports per-record update errors, not faults, and faults for an unknown field or type', async () => {
    const missing = await call(
      org,
      '/services/Soap/u/60.0',
      '<api:update><api:sObjects><api:type>Account</api:type><api:Id>001000000000000AAA</api:Id><api:Name>x</api:Name></api:sObjects></api:update>',
      { sessionId },
    );
    expect(missing.status).toBe(200);
    const result = child(child(missing.body, 'updateResponse'), 'result');
    expect(text(result, 'success')).toBe('false');
    expect(child(result, 'id')?.nil).toBe(true);
    expect(text(child(result, 'errors'), 'statusCode')).toBe('INVALID_CROSS_REFERENCE_KEY');

    const badField = await call(
      org,
      '/services/Soap/u/60.0',
      '<api:create><api:sObjects><api:type>Account</api:type><api:Nmae>x</api:Nmae></api:sObjects></api:create>',
      { sessionId },
    );
    expect(badField.status).toBe(500);
    expect(text(child(badField.body, 'Fault'), 'faultcode')).toBe('sf:INVALID_FIELD');
    expect(
      child(child(child(badField.body, 'Fault'), 'detail'), 'InvalidFieldFault'),
    ).toBeDefined();

    const badType = await call(
      org,
      '/services/Soap/u/60.0',
      '<api:create><api:sObjects><api:type>Widget</api:type></api:sObjects></api:create>',
      { sessionId },
    );
    expect(text(child(badType.body, 'Fault'), 'faultcode')).toBe('sf:INVALID_TYPE');
  });

  it('creates typed sObjects on the enterprise API and retrieves them on both', async () => {
    const created = await call(
      org,
      '/services/Soap/c/60.0/00D5g000004Xyz1',
      '<api:create><api:sObjects xsi:type="ent:Account"><ent:Name>Globex</ent:Name><ent:BillingCity>Paris</ent:BillingCity></api:sObjects></api:create>',
      { sessionId },
    );
    const id = String(text(child(child(created.body, 'createResponse'), 'result'), 'id'));
    expect(id).toMatch(/^001/);

    const partner = await call(
      org,
      '/services/Soap/u/60.0',
      `<api:retrieve><api:fieldList>Name, BillingCity, Phone</api:fieldList><api:sObjectType>Account</api:sObjectType><api:ids>${id}</api:ids><api:ids>001000000000000AAA</api:ids></api:retrieve>`,
      { sessionId },
    );
    const results = children(child(partner.body, 'retrieveResponse'), 'result');
    expect(results).toHaveLength(2);
    expect(results[0]?.children.map((c) => c.local)).toEqual([
      'type',
      'Id',
      'Name',
      'BillingCity',
      'Phone',
    ]);
    expect(text(results[0], 'Id')).toBe(id);
    expect(child(results[0], 'Phone')?.nil).toBe(true);
    expect(results[1]?.nil).toBe(true);

    const enterprise = await call(
      org,
      '/services/Soap/c/60.0',
      `<api:retrieve><api:fieldList>Name,Id</api:fieldList><api:sObjectType>Account</api:sObjectType><api:ids>${id.slice(0, 15)}</api:ids></api:retrieve>`,
      { sessionId },
    );
    const record = child(child(enterprise.body, 'retrieveResponse'), 'result');
    expect(record?.xsiType).toEqual({
      uri: 'urn:sobject.enterprise.soap.sforce.com',
      local: 'Account',
    });
    expect(record?.children.map((c) => c.local)).toEqual(['Id', 'Name']);
    expect(record?.children[0]?.uri).toBe('urn:sobject.enterprise.soap.sforce.com');
  });

  it('renders query results as the partner API does: Id twice, parents nested, children as QueryResult', async () => {
    const accountId = org.store.create('Account', { Name: 'Initech' }, org.admin.id);
    const opportunityId = org.store.create(
      'Opportunity',
      {
        Name: 'Big deal',
        AccountId: accountId,
        StageName: 'Prospecting',
        CloseDate: '2026-11-28',
        Amount: 12000,
      },
      org.admin.id,
    );
    const reply = await call(
      org,
      '/services/Soap/u/60.0',
      `<api:query><api:queryString>SELECT Id, Name, Amount, CloseDate, CreatedDate, Description, Account.Name FROM Opportunity</api:queryString></api:query>`,
      { sessionId },
    );
    expect(reply.status).toBe(200);
    const result = child(child(reply.body, 'queryResponse'), 'result');
    expect(result?.children.map((c) => c.local)).toEqual([
      'done',
      'queryLocator',
      'records',
      'size',
    ]);
    expect(text(result, 'done')).toBe('true');
    expect(child(result, 'queryLocator')?.nil).toBe(true);
    const record = child(result, 'records');
    expect(record?.xsiType?.local).toBe('sObject');
    expect(record?.children.map((c) => c.local)).toEqual([
      'type',
      'Id',
      'Id',
      'Name',
      'Amount',
      'CloseDate',
      'CreatedDate',
      'Description',
      'Account',
    ]);
    expect(text(record, 'Id')).toBe(opportunityId);
    expect(text(record, 'Amount')).toBe('12000.0');
    expect(text(record, 'CloseDate')).toBe('2026-11-28');
    expect(text(record, 'CreatedDate')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(child(record, 'Description')?.nil).toBe(true);
    const account = child(record, 'Account');
    expect(account?.children.map((c) => [c.local, c.nil ? null : c.text])).toEqual([
      ['type', 'Account'],
      ['Id', null],
      ['Name', 'Initech'],
    ]);

    const withChildren = await call(
      org,
      '/services/Soap/u/60.0',
      `<api:query><api:queryString>SELECT Name, (SELECT Name FROM Opportunities) FROM Account</api:queryString></api:query>`,
      { sessionId },
    );
    const accounts = children(
      child(child(withChildren.body, 'queryResponse'), 'result'),
      'records',
    );
    const initech = accounts.find((a) => text(a, 'Name') === 'Initech');
    const opportunities = child(initech, 'Opportunities');
    expect(opportunities?.xsiType?.local).toBe('QueryResult');
    expect(text(opportunities, 'size')).toBe('1');
    expect(text(child(opportunities, 'records'), 'Name')).toBe('Big deal');
    const acme = accounts.find((a) => text(a, 'Name') === 'Acme Ltd');
    expect(child(acme, 'Opportunities')?.nil).toBe(true);
  });

  it('pages 2,500 records with queryMore, 500 a batch by default and as QueryOptions asks', async () => {
    for (let i = 0; i < 2500; i++)
      org.store.create('Contact', { LastName: `Person ${i}` }, org.admin.id);
    const query =
      '<api:query><api:queryString>SELECT Id, LastName FROM Contact</api:queryString></api:query>';
    let reply = await call(org, '/services/Soap/u/60.0', query, { sessionId });
    let result = child(child(reply.body, 'queryResponse'), 'result');
    const seen: string[] = children(result, 'records').map((r) => String(text(r, 'LastName')));
    expect(seen).toHaveLength(500);
    expect(text(result, 'size')).toBe('2500');
    while (text(result, 'done') === 'false') {
      const locator = String(text(result, 'queryLocator'));
      reply = await call(
        org,
        '/services/Soap/u/60.0',
        `<api:queryMore><api:queryLocator>${locator}</api:queryLocator></api:queryMore>`,
        { sessionId },
      );
      result = child(child(reply.body, 'queryMoreResponse'), 'result');
      seen.push(...children(result, 'records').map((r) => String(text(r, 'LastName'))));
    }
    expect(seen).toHaveLength(2500);
    expect(new Set(seen).size).toBe(2500);

    const big = await call(org, '/services/Soap/u/60.0', query, {
      sessionId,
      headers: '<api:QueryOptions><api:batchSize>2000</api:batchSize></api:QueryOptions>',
    });
    expect(children(child(child(big.body, 'queryResponse'), 'result'), 'records')).toHaveLength(
      2000,
    );

    const stale = await call(
      org,
      '/services/Soap/u/60.0',
      '<api:queryMore><api:queryLocator>01gXXXXXXXXXXXXXXX-500</api:queryLocator></api:queryMore>',
      { sessionId },
    );
    expect(text(child(stale.body, 'Fault'), 'faultcode')).toBe('sf:INVALID_QUERY_LOCATOR');
  });

  it('faults MALFORMED_QUERY, INVALID_FIELD and INVALID_TYPE with their ApiFault details', async () => {
    const cases = [
      ['SELEKT Id FROM Account', 'MALFORMED_QUERY', 'MalformedQueryFault'],
      ['SELECT Nope FROM Account', 'INVALID_FIELD', 'InvalidFieldFault'],
      ['SELECT Id FROM Widget', 'INVALID_TYPE', 'InvalidSObjectFault'],
    ] as const;
    for (const [soql, code, faultType] of cases) {
      const reply = await call(
        org,
        '/services/Soap/u/60.0',
        `<api:query><api:queryString>${soql}</api:queryString></api:query>`,
        { sessionId },
      );
      expect(reply.status).toBe(500);
      const fault = child(reply.body, 'Fault');
      expect(text(fault, 'faultcode')).toBe(`sf:${code}`);
      expect(text(fault, 'faultstring')).toMatch(new RegExp(`^${code}: `));
      const detail = child(child(fault, 'detail'), faultType);
      expect(detail?.children.map((c) => c.local)).toEqual([
        'exceptionCode',
        'exceptionMessage',
        'row',
        'column',
      ]);
    }
  });

  it('answers INVALID_SESSION_ID to jsforce after every session is expired, and after logout', async () => {
    const session = org.authority.issue(org.admin.id);
    const conn = new jsforce.Connection({
      instanceUrl: org.url,
      accessToken: session.accessToken,
      version: '60.0',
    });
    await conn.soap.getUserInfo();
    org.authority.expireAll();
    await expect(conn.soap.getUserInfo()).rejects.toMatchObject({
      errorCode: 'sf:INVALID_SESSION_ID',
    });
    sessionId = org.authority.issue(org.admin.id).accessToken;

    const loggedIn = new jsforce.Connection({ loginUrl: org.url, version: '60.0' });
    await loggedIn.login(org.admin.username, org.admin.password);
    const token = loggedIn.accessToken ?? '';
    await loggedIn.logout();
    const after = await call(org, '/services/Soap/u/60.0', '<api:getUserInfo/>', {
      sessionId: token,
    });
    expect(text(child(after.body, 'Fault'), 'faultcode')).toBe('sf:INVALID_SESSION_ID');
  });

  it('refuses versions below 50.0 and operations it does not offer', async () => {
    const old = await call(org, '/services/Soap/u/49.0', '<api:getUserInfo/>', { sessionId });
    expect(text(child(old.body, 'Fault'), 'faultcode')).toBe('sf:UNSUPPORTED_API_VERSION');
    const unknown = await call(org, '/services/Soap/u/60.0', '<api:describeGlobal/>', {
      sessionId,
    });
    expect(text(child(unknown.body, 'Fault'), 'faultstring')).toBe(
      'No operation available for request {urn:partner.soap.sforce.com}describeGlobal, please check the WSDL for the service.',
    );
    const wrongNamespace = await call(org, '/services/Soap/c/60.0', '<api:getUserInfo/>', {
      sessionId,
      namespace: PARTNER,
    });
    expect(text(child(wrongNamespace.body, 'Fault'), 'faultcode')).toBe('soapenv:Client');
  });
});
