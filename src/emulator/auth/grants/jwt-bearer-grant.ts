import { verifyJwtBearer } from '../jwt-bearer.ts';
import { OAuthError } from '../oauth-error.ts';
import { tokenResponse } from '../token-response.ts';
import type { Grant } from './grant.ts';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** The JWT bearer flow: an assertion signed with the key of the app's certificate. */
export const jwtBearerGrant: Grant = (context, { form }) => {
  const { app: client, username } = verifyJwtBearer(form.get('assertion') ?? undefined, {
    apps: context.apps,
    clock: context.clock,
    audiences: [context.loginUrl(), context.instanceUrl()],
  });
  const user = context.authority.findUser(username);
  if (!user) throw new OAuthError('invalid_grant', "user hasn't approved this consumer");
  return tokenResponse(context, context.authority.issue(user.id, client.clientId), client);
};
