import { clientCredentialsGrant } from './client-credentials-grant.ts';
import type { Grant } from './grant.ts';
import { JWT_BEARER_GRANT, jwtBearerGrant } from './jwt-bearer-grant.ts';
import { passwordGrant } from './password-grant.ts';
import { refreshTokenGrant } from './refresh-token-grant.ts';

export { JWT_BEARER_GRANT };
export type { Grant, GrantRequest } from './grant.ts';

/** The grant types `/services/oauth2/token` accepts, by `grant_type`. */
const GRANTS: Readonly<Record<string, Grant>> = {
  password: passwordGrant,
  client_credentials: clientCredentialsGrant,
  [JWT_BEARER_GRANT]: jwtBearerGrant,
  refresh_token: refreshTokenGrant,
};

export function grantOf(grantType: string): Grant | undefined {
  return Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType] : undefined;
}
