import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isSalesforceId, toId18 } from '../../soap/index.ts';
import { SalesforceApiError } from '../api-error.ts';
import type { OAuthContext } from './oauth-context.ts';
import type { EmulatorUser, Session } from './session-authority.ts';

/**
 * The identity service: `/services/oauth2/userinfo` (GET or POST) and the identity URL
 * `/id/{orgId}/{userId}` that token responses name.
 */
export function identityRoutes(app: FastifyInstance, context: OAuthContext): void {
  app.get('/services/oauth2/userinfo', async (request, reply) => identity(context, request, reply));
  app.post('/services/oauth2/userinfo', async (request, reply) =>
    identity(context, request, reply),
  );
  app.get<{ Params: { orgId: string; userId: string } }>(
    '/id/:orgId/:userId',
    async (request, reply) => {
      const { orgId, userId } = request.params;
      const sameOrg =
        isSalesforceId(orgId) &&
        isSalesforceId(userId) &&
        toId18(orgId) === context.organizationId &&
        userId.startsWith('005');
      if (!sameOrg) return reply.code(404).type('text/plain').send('Bad_Id');
      return identity(context, request, reply, userId);
    },
  );
}

function identity(
  context: OAuthContext,
  request: FastifyRequest,
  reply: FastifyReply,
  expectedUserId?: string,
): FastifyReply {
  const bearer = /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  // The identity service answers 403 with a bare code, not the REST API's JSON error.
  const refuse = (code: string): FastifyReply => reply.code(403).type('text/plain').send(code);
  if (bearer?.[1] === undefined) return refuse('Missing_OAuth_Token');
  let session: Session;
  try {
    session = context.authority.authenticate(bearer[1]);
  } catch (error) {
    if (error instanceof SalesforceApiError) return refuse('Bad_OAuth_Token');
    throw error;
  }
  if (expectedUserId !== undefined && toId18(expectedUserId) !== session.userId) {
    return refuse('Wrong_Org');
  }
  return reply.send(identityBody(context, session, context.authority.findUser(session.userId)));
}

function identityBody(
  context: OAuthContext,
  session: Session,
  user: EmulatorUser | undefined,
): Record<string, unknown> {
  const name = [user?.firstName, user?.lastName]
    .filter((part) => part !== undefined && part !== '')
    .join(' ');
  const id = context.identityUrl(session.userId);
  const instanceUrl = context.instanceUrl();
  const org15 = session.organizationId.slice(0, 15);
  return {
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
      enterprise: `${instanceUrl}/services/Soap/c/{version}/${org15}`,
      partner: `${instanceUrl}/services/Soap/u/{version}/${org15}`,
      rest: `${instanceUrl}/services/data/v{version}/`,
      sobjects: `${instanceUrl}/services/data/v{version}/sobjects/`,
      query: `${instanceUrl}/services/data/v{version}/query/`,
      profile: `${instanceUrl}/${session.userId}`,
    },
    updated_at: session.issuedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}
