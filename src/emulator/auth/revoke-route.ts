import type { FastifyInstance } from 'fastify';
import type { OAuthContext } from './oauth-context.ts';
import { unsupportedTokenType } from './oauth-error.ts';
import { formOf, sendOAuthError } from './oauth-reply.ts';

/**
 * `POST /services/oauth2/revoke`: a refresh token ends with every access token obtained with
 * it; an access token ends alone.
 */
export function revokeRoute(app: FastifyInstance, context: OAuthContext): void {
  app.post('/services/oauth2/revoke', async (request, reply) => {
    const token = formOf(request.body).get('token') ?? '';
    const grant = context.refreshTokens.revoke(token);
    if (grant) {
      for (const accessToken of grant.accessTokens) context.authority.revoke(accessToken);
      return reply.code(200).send();
    }
    if (token !== '' && context.authority.revoke(token)) return reply.code(200).send();
    return sendOAuthError(reply, unsupportedTokenType());
  });
}
