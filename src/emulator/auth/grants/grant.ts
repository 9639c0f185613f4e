import type { OAuthContext } from '../oauth-context.ts';
import type { TokenResponse } from '../token-response.ts';

/** One `grant_type` of `/services/oauth2/token`. */
export type Grant = (context: OAuthContext, request: GrantRequest) => TokenResponse;

export interface GrantRequest {
  readonly form: URLSearchParams;
  /** The `Authorization` header, where a client may send its id and secret (HTTP Basic). */
  readonly authorization: string | undefined;
}
