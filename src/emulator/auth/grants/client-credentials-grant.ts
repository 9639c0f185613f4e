import { authenticateClient } from '../client-authentication.ts';
import { OAuthError } from '../oauth-error.ts';
import { tokenResponse } from '../token-response.ts';
import type { Grant } from './grant.ts';

/** `grant_type=client_credentials`: a session of the app's run-as user. */
export const clientCredentialsGrant: Grant = (context, { form, authorization }) => {
  const client = authenticateClient(context.apps, form, authorization);
  const runAs =
    client.runAsUsername === undefined
      ? undefined
      : context.authority.findUser(client.runAsUsername);
  if (!runAs) throw new OAuthError('invalid_grant', 'no client credentials user enabled');
  return tokenResponse(context, context.authority.issue(runAs.id, client.clientId), client);
};
