export type { EmulatorUser, Session, SessionAuthority } from './session-authority.ts';
export {
  createSessionAuthority,
  newAccessToken,
  type EmulatorSessionAuthority,
  type SessionAuthorityOptions,
} from './create-session-authority.ts';
export { type ConnectedApp, DEFAULT_SCOPES } from './connected-app.ts';
export { OAuthError } from './oauth-error.ts';
export { RefreshTokens } from './refresh-tokens.ts';
export { MAX_ASSERTION_LIFETIME_SECONDS, verifyJwtBearer } from './jwt-bearer.ts';
export { oauthRoutes, JWT_BEARER_GRANT, type OAuthRoutesOptions } from './oauth-routes.ts';
export {
  DEFAULT_EXTERNAL_CLIENT_APP,
  externalClientApps,
  type ExternalClientAppCredentials,
} from './external-client-app.ts';
