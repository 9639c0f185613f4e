import type { Clock } from '../../shared/index.ts';
import { toId18 } from '../../soap/index.ts';
import type { ConnectedApp } from './connected-app.ts';
import type { RefreshTokens } from './refresh-tokens.ts';
import type { SessionAuthority } from './session-authority.ts';

/** What the token, revoke and identity endpoints share; each grant and route is handed it. */
export interface OAuthContext {
  readonly authority: SessionAuthority;
  readonly apps: readonly ConnectedApp[];
  readonly clock: Clock;
  readonly refreshTokens: RefreshTokens;
  /** The org id, 18 characters. */
  readonly organizationId: string;
  /** `instance_url` of token responses, without a trailing slash; read per request. */
  instanceUrl(): string;
  /** The login server's base URL (identity URLs, JWT `aud`), without a trailing slash. */
  loginUrl(): string;
  /** `{loginUrl}/id/{orgId}/{userId}`: the `id` of token responses and userinfo. */
  identityUrl(userId: string): string;
}

/** What `createOAuthContext` is built from: the URLs as properties, read on every call. */
export type OAuthContextSource = Pick<
  OAuthContext,
  'authority' | 'apps' | 'clock' | 'refreshTokens' | 'organizationId'
> & {
  /** Getters, so they can supply the URL once the server's port is known. */
  readonly instanceUrl: string;
  readonly loginUrl: string;
};

const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, '');

export function createOAuthContext(source: OAuthContextSource): OAuthContext {
  const organizationId = toId18(source.organizationId);
  const loginUrl = (): string => withoutTrailingSlash(source.loginUrl);
  return {
    authority: source.authority,
    apps: source.apps,
    clock: source.clock,
    refreshTokens: source.refreshTokens,
    organizationId,
    instanceUrl: () => withoutTrailingSlash(source.instanceUrl),
    loginUrl,
    identityUrl: (userId) => `${loginUrl()}/id/${organizationId}/${toId18(userId)}`,
  };
}
