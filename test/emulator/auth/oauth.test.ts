import { createHmac, createSign } from 'node:crypto';
import jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JWT_BEARER_GRANT } from '../../../src/emulator/auth/index.ts';
import { makeKeyPair, type KeyPair } from '../../support/certificates.ts';
import { ORG_ID, startEmulatedOrg, type EmulatedOrg } from './emulated-org.ts';

const ORG_ID_18 = ORG_ID;
const CLIENT_ID = '3MVG9relayConsumerKey';
const CLIENT_SECRET = 'relay-consumer-secret';

function signJwt(privateKeyPem: string, claims: Record<string, unknown>): string {
  const encode = (value: unknown): string =>
    Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'RS256' })}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256')
    .update(input)
    .sign(privateKeyPem)
    .toString('base64url');
  return `${input}.${signature}`;
}

async function token(
  org: EmulatedOrg,
  form: Record<string, string>,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${org.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function soapUserInfo(
  org: EmulatedOrg,
  sessionId: string,
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${org.url}/services/Soap/u/60.0`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
    body:
      `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:p="urn:partner.soap.sforce.com">` +
      `<soapenv:Header><p:SessionHeader><p:sessionId>${sessionId}</p:sessionId></p:SessionHeader></soapenv:Header>` +
      `<soapenv:Body><p:getUserInfo/></soapenv:Body></soapenv:Envelope>`,
  });
  return { status: response.status, text: await response.text() };
}

describe('OAuth 2.0 endpoints', () => {
  let org: EmulatedOrg;
  let keys: KeyPair;

  beforeAll(async () => {
    keys = makeKeyPair();
    org = await startEmulatedOrg({ certificatePem: keys.certificatePem });
  });
  afterAll(async () => {
    await org.close();
  });

  it('logs jsforce in with the username-password flow and answers Salesforce-shaped tokens', async () => {
    const conn = new jsforce.Connection({
      oauth2: { loginUrl: org.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    });
    const info = await conn.login(org.admin.username, org.admin.password);
    expect(info.id).toBe(org.admin.id);
    expect(info.organizationId).toBe(ORG_ID_18);
    expect(conn.instanceUrl).toBe(org.url);
    expect(conn.accessToken).toMatch(/^00D5g000004Xyz1![A-Za-z0-9._]+$/);
  });

  it('signs id + issued_at with the consumer secret and returns exactly Salesforce’s fields', async () => {
    const { status, body } = await token(org, {
      grant_type: 'password',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      username: org.admin.username,
      password: org.admin.password,
    });
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(
      [
        'access_token',
        'id',
        'instance_url',
        'issued_at',
        'refresh_token',
        'scope',
        'signature',
        'token_type',
      ].sort(),
    );
    expect(body.id).toBe(`${org.url}/id/${ORG_ID_18}/${org.admin.id}`);
    expect(body.token_type).toBe('Bearer');
    expect(String(body.issued_at)).toMatch(/^\d{13}$/);
    const expected = createHmac('sha256', CLIENT_SECRET)
      .update(`${String(body.id)}${String(body.issued_at)}`)
      .digest('base64');
    expect(body.signature).toBe(expected);
  });

  it('refuses a wrong password, an unknown client and a wrong secret with Salesforce’s errors', async () => {
    const base = { grant_type: 'password', username: org.admin.username };
    expect(
      await token(org, {
        ...base,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        password: 'nope',
      }),
    ).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'authentication failure' },
    });
    expect(
      await token(org, {
        ...base,
        client_id: 'unknown',
        client_secret: 'x',
        password: org.admin.password,
      }),
    ).toEqual({
      status: 400,
      body: { error: 'invalid_client_id', error_description: 'client identifier invalid' },
    });
    expect(
      await token(org, {
        ...base,
        client_id: CLIENT_ID,
        client_secret: 'wrong',
        password: org.admin.password,
      }),
    ).toEqual({
      status: 400,
      body: { error: 'invalid_client', error_description: 'invalid client credentials' },
    });
    expect(await token(org, { grant_type: 'authorization_code', code: 'x' })).toEqual({
      status: 400,
      body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' },
    });
  });

  it('issues a session of the run-as user to client credentials, from the form or HTTP Basic', async () => {
    const conn = new jsforce.Connection({
      oauth2: { loginUrl: org.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    });
    const info = await conn.authorize({ grant_type: 'client_credentials' });
    expect(info.id).toBe(org.integration.id);
    expect(org.authority.authenticate(conn.accessToken ?? '').clientId).toBe(CLIENT_ID);

    const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
    const viaBasic = await token(
      org,
      { grant_type: 'client_credentials' },
      { authorization: `Basic ${basic}` },
    );
    expect(viaBasic.status).toBe(200);
    expect(viaBasic.body.id).toBe(`${org.url}/id/${ORG_ID_18}/${org.integration.id}`);
    expect(viaBasic.body.refresh_token).toBeUndefined();
  });

  it('refuses client credentials to an app without a run-as user', async () => {
    expect(
      await token(org, {
        grant_type: 'client_credentials',
        client_id: '3MVG9noRunAs',
        client_secret: 'no-run-as-secret',
      }),
    ).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'no client credentials user enabled' },
    });
  });

  it('accepts an RS256 JWT bearer assertion signed with the app’s key, through jsforce', async () => {
    const nowSeconds = Math.floor(org.clock.now().getTime() / 1000);
    const assertion = signJwt(keys.privateKeyPem, {
      iss: CLIENT_ID,
      sub: org.admin.username,
      aud: org.url,
      exp: nowSeconds + 120,
    });
    const conn = new jsforce.Connection({ oauth2: { loginUrl: org.url, clientId: CLIENT_ID } });
    const info = await conn.authorize({ grant_type: JWT_BEARER_GRANT, assertion });
    expect(info.id).toBe(org.admin.id);
    expect(conn.instanceUrl).toBe(org.url);
  });

  it('checks the JWT’s signature, issuer, audience and expiry as Salesforce does', async () => {
    const nowSeconds = Math.floor(org.clock.now().getTime() / 1000);
    const good = {
      iss: CLIENT_ID,
      sub: org.admin.username,
      aud: 'https://login.salesforce.com',
      exp: nowSeconds + 60,
    };
    const attempt = (assertion: string) => token(org, { grant_type: JWT_BEARER_GRANT, assertion });

    expect((await attempt(signJwt(keys.privateKeyPem, good))).status).toBe(200);
    const stranger = makeKeyPair();
    expect(await attempt(signJwt(stranger.privateKeyPem, good))).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'invalid assertion' },
    });
    expect((await attempt(signJwt(keys.privateKeyPem, { ...good, iss: 'nobody' }))).body).toEqual({
      error: 'invalid_client_id',
      error_description: 'client identifier invalid',
    });
    expect(
      (await attempt(signJwt(keys.privateKeyPem, { ...good, aud: 'https://evil.example' }))).body,
    ).toEqual({
      error: 'invalid_grant',
      error_description: 'audience is invalid',
    });
    expect(
      (await attempt(signJwt(keys.privateKeyPem, { ...good, exp: nowSeconds - 1 }))).body.error,
    ).toBe('invalid_grant');
    expect(
      (await attempt(signJwt(keys.privateKeyPem, { ...good, exp: nowSeconds + 600 }))).body.error,
    ).toBe('invalid_grant');
    expect(
      (await attempt(signJwt(keys.privateKeyPem, { ...good, sub: 'ghost@acme.example' }))).body,
    ).toEqual({
      error: 'invalid_grant',
      error_description: "user hasn't approved this consumer",
    });
    expect((await attempt('not.a.jwt')).body.error).toBe('invalid_grant');
  });

  it('judges JWT expiry by the virtual clock', async () => {
    const nowSeconds = Math.floor(org.clock.now().getTime() / 1000);
    const assertion = signJwt(keys.privateKeyPem, {
      iss: CLIENT_ID,
      sub: org.admin.username,
      aud: org.url,
      exp: nowSeconds + 90,
    });
    org.clock.advance(120_000);
    expect((await token(org, { grant_type: JWT_BEARER_GRANT, assertion })).status).toBe(400);
  });

  it('refreshes with a refresh token after every session expired, and jsforce refreshes by itself', async () => {
    const first = await token(org, {
      grant_type: 'password',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      username: org.admin.username,
      password: org.admin.password,
    });
    const refreshToken = String(first.body.refresh_token);
    org.authority.expireAll();
    expect((await soapUserInfo(org, String(first.body.access_token))).text).toContain(
      'sf:INVALID_SESSION_ID',
    );

    const oauth2 = new jsforce.OAuth2({
      loginUrl: org.url,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
    });
    const refreshed = await oauth2.refreshToken(refreshToken);
    expect(refreshed.access_token).not.toBe(first.body.access_token);
    expect((await soapUserInfo(org, refreshed.access_token)).status).toBe(200);

    expect(
      await token(org, {
        grant_type: 'refresh_token',
        client_id: CLIENT_ID,
        refresh_token: 'bogus',
      }),
    ).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'expired access/refresh token' },
    });
  });

  it('revokes an access token so the SOAP API answers INVALID_SESSION_ID', async () => {
    const conn = new jsforce.Connection({
      oauth2: { loginUrl: org.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    });
    await conn.login(org.admin.username, org.admin.password);
    const accessToken = conn.accessToken ?? '';
    expect((await soapUserInfo(org, accessToken)).status).toBe(200);
    await conn.oauth2.revokeToken(accessToken);
    const after = await soapUserInfo(org, accessToken);
    expect(after.status).toBe(500);
    expect(after.text).toContain('<faultcode>sf:INVALID_SESSION_ID</faultcode>');

    const again = await fetch(`${org.url}/services/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: accessToken }).toString(),
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({
      error: 'unsupported_token_type',
      error_description: 'this token type is not supported',
    });
  });

  it('answers userinfo for a bearer token and 403 Bad_OAuth_Token otherwise', async () => {
    const session = org.authority.issue(org.admin.id, CLIENT_ID);
    const ok = await fetch(`${org.url}/services/oauth2/userinfo`, {
      headers: { authorization: `Bearer ${session.accessToken}` },
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      user_id: org.admin.id,
      organization_id: ORG_ID_18,
      preferred_username: org.admin.username,
      email: org.admin.email,
      name: 'Ada Admin',
      given_name: 'Ada',
      family_name: 'Admin',
    });
    const bad = await fetch(`${org.url}/services/oauth2/userinfo`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(bad.status).toBe(403);
    expect(await bad.text()).toBe('Bad_OAuth_Token');
    const missing = await fetch(`${org.url}/services/oauth2/userinfo`);
    expect(missing.status).toBe(403);
  });

  it('expires sessions after the configured time on the virtual clock', async () => {
    const session = org.authority.issue(org.admin.id);
    expect((await soapUserInfo(org, session.accessToken)).status).toBe(200);
    org.clock.advance(org.authority.sessionTtlSeconds * 1000 + 1);
    const after = await soapUserInfo(org, session.accessToken);
    expect(after.status).toBe(500);
    expect(after.text).toContain('INVALID_SESSION_ID');
  });
});
