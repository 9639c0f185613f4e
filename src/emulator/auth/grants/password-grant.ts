import { SalesforceApiError } from '../../api-error.ts';
import { authenticateClient } from '../client-authentication.ts';
import { type ConnectedApp, scopesOf } from '../connected-app.ts';
import type { OAuthContext } from '../oauth-context.ts';
import { authenticationFailure } from '../oauth-error.ts';
import type { Session } from '../session-authority.ts';
import { tokenResponse } from '../token-response.ts';
import type { Grant } from './grant.ts';

/** `grant_type=password`: username + password (+ security token) of an org user. */
export const passwordGrant: Grant = (context, { form, authorization }) => {
  const client = authenticateClient(context.apps, form, authorization);
  let session: Session;
  try {
    session = context.authority.login(form.get('username') ?? '', form.get('password') ?? '');
  } catch (error) {
    if (error instanceof SalesforceApiError) throw authenticationFailure();
    throw error;
  }
  // Real orgs issue no refresh token to this flow; the emulator does (when the app has the
  // refresh_token scope), because it has no web-server flow to obtain one through.
  const refreshToken = scopesOf(client).includes('refresh_token')
    ? context.refreshTokens.issue(session.userId, client.clientId, session.accessToken)
    : undefined;
  return tokenResponse(context, reissue(context, session, client), client, refreshToken);
};

/** The password grant's session belongs to the app that asked for it. */
function reissue(context: OAuthContext, session: Session, client: ConnectedApp): Session {
  if (session.clientId === client.clientId) return session;
  context.authority.revoke(session.accessToken);
  return context.authority.issue(session.userId, client.clientId);
}
