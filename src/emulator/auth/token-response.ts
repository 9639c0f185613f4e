import { createHmac } from 'node:crypto';
import { type ConnectedApp, scopesOf } from './connected-app.ts';
import type { OAuthContext } from './oauth-context.ts';
import type { Session } from './session-authority.ts';

export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  signature: string;
  scope: string;
  instance_url: string;
  id: string;
  token_type: 'Bearer';
  issued_at: string;
}

/** The token endpoint's success body, signed as Salesforce signs it. */
export function tokenResponse(
  context: OAuthContext,
  session: Session,
  client: ConnectedApp,
  refreshToken?: string,
): TokenResponse {
  const id = context.identityUrl(session.userId);
  const issuedAt = String(session.issuedAt.getTime());
  return {
    access_token: session.accessToken,
    ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
    signature: signIdentity(client, id, issuedAt),
    scope: scopesOf(client).join(' '),
    instance_url: context.instanceUrl(),
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
  };
}

/** Salesforce signs id + issued_at with the consumer secret so the client can check both. */
function signIdentity(client: ConnectedApp, id: string, issuedAt: string): string {
  return createHmac('sha256', client.clientSecret)
    .update(id + issuedAt)
    .digest('base64');
}
