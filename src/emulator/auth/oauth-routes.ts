import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../shared/index.ts';
import type { ConnectedApp } from './connected-app.ts';
import { grantOf } from './grants/index.ts';
import { identityRoutes } from './identity-routes.ts';
import { createOAuthContext, type OAuthContext } from './oauth-context.ts';
import { OAuthError, unsupportedGrantType } from './oauth-error.ts';
import { NO_STORE, formOf, sendOAuthError } from './oauth-reply.ts';
import { RefreshTokens } from './refresh-tokens.ts';
import { revokeRoute } from './revoke-route.ts';
import type { SessionAuthority } from './session-authority.ts';

export { JWT_BEARER_GRANT } from './grants/index.ts';

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
  const context = createOAuthContext({
    authority: options.authority,
    apps: options.apps,
    clock: options.clock,
    refreshTokens: options.refreshTokens ?? new RefreshTokens(),
    organizationId: options.organizationId,
    // Getters, not values: the URLs are known only once the server listens.
    get instanceUrl() {
      return options.instanceUrl;
    },
    get loginUrl() {
      return options.loginUrl;
    },
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, new URLSearchParams(String(body))),
  );
  tokenRoute(app, context);
  revokeRoute(app, context);
  identityRoutes(app, context);
}

/** `POST /services/oauth2/token`: dispatches on `grant_type`; OAuth errors as Salesforce sends them. */
function tokenRoute(app: FastifyInstance, context: OAuthContext): void {
  app.post('/services/oauth2/token', async (request, reply) => {
    try {
      const form = formOf(request.body);
      const grant = grantOf(form.get('grant_type') ?? '');
      if (!grant) throw unsupportedGrantType();
      const body = grant(context, { form, authorization: request.headers.authorization });
      return reply.header('cache-control', NO_STORE).send(body);
    } catch (error) {
      if (error instanceof OAuthError) return sendOAuthError(reply, error);
      throw error;
    }
  });
}
