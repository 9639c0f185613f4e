import { findApp } from '../client-authentication.ts';
import { secretMatches } from '../connected-app.ts';
import { expiredRefreshToken, invalidClientCredentials } from '../oauth-error.ts';
import { tokenResponse } from '../token-response.ts';
import type { Grant } from './grant.ts';

/** `grant_type=refresh_token`: the secret is optional, as for Salesforce's public clients. */
export const refreshTokenGrant: Grant = (context, { form }) => {
  const client = findApp(context.apps, form.get('client_id'));
  const secret = form.get('client_secret');
  if (secret !== null && !secretMatches(client.clientSecret, secret))
    throw invalidClientCredentials();
  const token = form.get('refresh_token');
  const grant = token === null ? undefined : context.refreshTokens.find(token);
  if (!grant || grant.clientId !== client.clientId) throw expiredRefreshToken();
  const session = context.authority.issue(grant.userId, client.clientId);
  grant.accessTokens.add(session.accessToken);
  return tokenResponse(context, session, client);
};
