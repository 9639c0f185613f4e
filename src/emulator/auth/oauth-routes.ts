import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.ts';
import { isSalesforceId, toId18 } from '../../soap/index.ts';
import { SalesforceApiError } from '../api-error.ts';
import { type ConnectedApp, scopesOf, secretMatches } from './connected-app.ts';
import { verifyJwtBearer } from './jwt-bearer.ts';
import {
  OAuthError,
  authenticationFailure,
  expiredRefreshToken,
  invalidClientCredentials,
  invalidClientId,
  unsupportedGrantType,
  unsupportedTokenType,
} from './oauth-error.ts';
import { RefreshTokens } from './refresh-tokens.ts';
import type { EmulatorUser, Session, SessionAuthority } from './session-authority.ts';

export interface OAuthRoutesOptions {
  readonly authority: SessionAuthority;
  readonly apps: readonly ConnectedApp[];
  /**
   * Base URL of the org's API (`instance_url` in token responses). Read on every request, so a
   * getter can supply it once the server's port is known.
   */
  readonly instanceUrl: string;
  /** Base URL of the login server (identity URLs, JWT `aud`); often the same. Read per request. */
  readonly loginUrl: string;
  readonly organizationId: string;
  readonly clock: Clock;
  /** Shared with other plugins when they must see the same refresh tokens; one is made otherwise. */
  readonly refreshTokens?: RefreshTokens;
}

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  signature: string;
  scope: string;
  instance_url: string;
  id: string;
  token_type: 'Bearer';
  issued_at: string;
}

type Form = URLSearchParams;

const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, '');

/**
 * Salesforce's OAuth 2.0 endpoints: `/services/oauth2/token` (password, client_credentials,
 * JWT bearer, refresh_token), `/services/oauth2/revoke`, `/services/oauth2/userinfo` and the
 * identity URL `/id/{orgId}/{userId}`. Register with `app.register(oauthRoutes, options)`: the
 * form parser it adds stays inside this plugin.
 */
export async function oauthRoutes(
  app: FastifyInstance,
  options: OAuthRoutesOptions,
): Promise<void> {
  const { authority, apps, clock } = options;
  const instanceUrlOf = (): string => withoutTrailingSlash(options.instanceUrl);
  const loginUrlOf = (): string => withoutTrailingSlash(options.loginUrl);
  const organizationId = toId18(options.organizationId);
  const refreshTokens = options.refreshTokens ?? new RefreshTokens();

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, new URLSearchParams(String(body))),
  );

  const identityUrl = (userId: string): string =>
    `${loginUrlOf()}/id/${organizationId}/${toId18(userId)}`;

  const tokenResponse = (
    session: Session,
    client: ConnectedApp,
    refreshToken?: string,
  ): TokenResponse => {
    const id = identityUrl(session.userId);
    const issuedAt = String(session.issuedAt.getTime());
    // Salesforce signs id + issued_at with the consumer secret so the client can check both.
    const signature = createHmac('sha256', client.clientSecret)
      .update(id + issuedAt)
      .digest('base64');
    return {
      access_token: session.accessToken,
      ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
      signature,
      scope: scopesOf(client).join(' '),
      instance_url: instanceUrlOf(),
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    };
  };

  const findApp = (clientId: string | null): ConnectedApp => {
    const found = clientId === null ? undefined : apps.find((a) => a.clientId === clientId);
    if (!found) throw invalidClientId();
    return found;
  };

  /** client_id + client_secret from the form, or from an HTTP Basic header (client credentials). */
  const authenticateClient = (request: FastifyRequest, form: Form): ConnectedApp => {
    let clientId = form.get('client_id');
    let clientSecret = form.get('client_secret');
    const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (basic?.[1] !== undefined && clientId === null) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon !== -1) {
        clientId = decodeURIComponent(decoded.slice(0, colon));
        clientSecret = decodeURIComponent(decoded.slice(colon + 1));
      }
    }
    const client = findApp(clientId);
    if (clientSecret === null || !secretMatches(client.clientSecret, clientSecret)) {
      throw invalidClientCredentials();
    }
    return client;
  };

  const userByName = (username: string | null): EmulatorUser | undefined =>
    username === null ? undefined : authority.findUser(username);

  /** The password grant's session belongs to the app that asked for it. */
  const reissue = (session: Session, client: ConnectedApp): Session => {
    if (session.clientId === client.clientId) return session;
    authority.revoke(session.accessToken);
    return authority.issue(session.userId, client.clientId);
  };

  const grants: Record<string, (request: FastifyRequest, form: Form) => TokenResponse> = {
    password(request, form) {
      const client = authenticateClient(request, form);
      let session: Session;
      try {
        session = authority.login(form.get('username') ?? '', form.get('password') ?? '');
      } catch (error) {
        if (error instanceof SalesforceApiError) throw authenticationFailure();
        throw error;
      }
      // Real orgs issue no refresh token to this flow; the emulator does (when the app has the
      // refresh_token scope), because it has no web-server flow to obtain one through.
      const refreshToken = scopesOf(client).includes('refresh_token')
        ? refreshTokens.issue(session.userId, client.clientId, session.accessToken)
        : undefined;
      return tokenResponse(reissue(session, client), client, refreshToken);
    },

    client_credentials(request, form) {
      const client = authenticateClient(request, form);
      const runAs =
        client.runAsUsername === undefined ? undefined : userByName(client.runAsUsername);
      if (!runAs) throw new OAuthError('invalid_grant', 'no client credentials user enabled');
      return tokenResponse(authority.issue(runAs.id, client.clientId), client);
    },

    [JWT_BEARER_GRANT](_request, form) {
      const { app: client, username } = verifyJwtBearer(form.get('assertion') ?? undefined, {
        apps,
        clock,
        audiences: [loginUrlOf(), instanceUrlOf()],
      });
      const user = userByName(username);
      if (!user) throw new OAuthError('invalid_grant', "user hasn't approved this consumer");
      return tokenResponse(authority.issue(user.id, client.clientId), client);
    },

    refresh_token(_request, form) {
      const client = findApp(form.get('client_id'));
      const secret = form.get('client_secret');
      if (secret !== null && !secretMatches(client.clientSecret, secret))
        throw invalidClientCredentials();
      const token = form.get('refresh_token');
      const grant = token === null ? undefined : refreshTokens.find(token);
      if (!grant || grant.clientId !== client.clientId) throw expiredRefreshToken();
      const session = authority.issue(grant.userId, client.clientId);
      grant.accessTokens.add(session.accessToken);
      return tokenResponse(session, client);
    },
  };

  const sendOAuthError = (reply: FastifyReply, error: OAuthError): FastifyReply =>
    reply
      .code(error.status)
      .header('cache-control', 'no-cache,must-revalidate,max-age=0,no-store,private')
      .send(error.toBody());

  app.post('/services/oauth2/token', async (request, reply) => {
    try {
      const form = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
      const grantType = form.get('grant_type') ?? '';
      const handler = Object.hasOwn(grants, grantType) ? grants[grantType] : undefined;
      if (!handler) throw unsupportedGrantType();
      const body = handler(request, form);
      return reply
        .header('cache-control', 'no-cache,must-revalidate,max-age=0,no-store,private')
        .send(body);
    } catch (error) {
      if (error instanceof OAuthError) return sendOAuthError(reply, error);
      throw error;
    }
  });

  app.post('/services/oauth2/revoke', async (request, reply) => {
    const form = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
    const token = form.get('token') ?? '';
    const grant = refreshTokens.revoke(token);
    if (grant) {
      for (const accessToken of grant.accessTokens) authority.revoke(accessToken);
      return reply.code(200).send();
    }
    if (token !== '' && authority.revoke(token)) return reply.code(200).send();
    return sendOAuthError(reply, unsupportedTokenType());
  });

  const identity = (
    request: FastifyRequest,
    reply: FastifyReply,
    expectedUserId?: string,
  ): FastifyReply => {
    const bearer = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    // The identity service answers 403 with a bare code, not the REST API's JSON error.
    if (bearer?.[1] === undefined)
      return reply.code(403).type('text/plain').send('Missing_OAuth_Token');
    let session: Session;
    try {
      session = authority.authenticate(bearer[1]);
    } catch (error) {
      if (error instanceof SalesforceApiError)
        return reply.code(403).type('text/plain').send('Bad_OAuth_Token');
      throw error;
    }
    if (expectedUserId !== undefined && toId18(expectedUserId) !== session.userId) {
      return reply.code(403).type('text/plain').send('Wrong_Org');
    }
    const user = authority.findUser(session.userId);
    const name = [user?.firstName, user?.lastName]
      .filter((part) => part !== undefined && part !== '')
      .join(' ');
    const id = identityUrl(session.userId);
    const instanceUrl = instanceUrlOf();
    return reply.send({
      sub: id,
      id,
      user_id: session.userId,
      organization_id: session.organizationId,
      preferred_username: session.username,
      username: session.username,
      nickname: session.username.split('@')[0],
      name,
      display_name: name,
      given_name: user?.firstName ?? '',
      family_name: user?.lastName ?? '',
      email: user?.email ?? '',
      email_verified: true,
      zoneinfo: 'GMT',
      locale: 'en_US',
      language: 'en_US',
      user_type: 'STANDARD',
      active: true,
      utcOffset: 0,
      urls: {
        enterprise: `${instanceUrl}/services/Soap/c/{version}/${session.organizationId.slice(0, 15)}`,
        partner: `${instanceUrl}/services/Soap/u/{version}/${session.organizationId.slice(0, 15)}`,
        rest: `${instanceUrl}/services/data/v{version}/`,
        sobjects: `${instanceUrl}/services/data/v{version}/sobjects/`,
        query: `${instanceUrl}/services/data/v{version}/query/`,
        profile: `${instanceUrl}/${session.userId}`,
      },
      updated_at: session.issuedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    });
  };

  app.get('/services/oauth2/userinfo', async (request, reply) => identity(request, reply));
  app.post('/services/oauth2/userinfo', async (request, reply) => identity(request, reply));
  app.get<{ Params: { orgId: string; userId: string } }>(
    '/id/:orgId/:userId',
    async (request, reply) => {
      const { orgId, userId } = request.params;
      const sameOrg =
        isSalesforceId(orgId) &&
        isSalesforceId(userId) &&
        toId18(orgId) === organizationId &&
        userId.startsWith('005');
      if (!sameOrg) return reply.code(404).type('text/plain').send('Bad_Id');
      return identity(request, reply, userId);
    },
  );
}
