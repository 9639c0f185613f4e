import { SfRelayError } from '../../shared/index.ts';

/**
 * An OAuth token-endpoint error as Salesforce sends it: HTTP 400 and
 * `{"error":"invalid_grant","error_description":"authentication failure"}`.
 */
export class OAuthError extends SfRelayError {
  readonly code: string;
  readonly status: number;

  constructor(error: string, description: string, status = 400) {
    super(description);
    this.code = error;
    this.status = status;
  }

  toBody(): { error: string; error_description: string } {
    return { error: this.code, error_description: this.message };
  }
}

// The pairs Salesforce answers with; clients (jsforce among them) surface them verbatim.
export const authenticationFailure = (): OAuthError =>
  new OAuthError('invalid_grant', 'authentication failure');
export const invalidClientId = (): OAuthError =>
  new OAuthError('invalid_client_id', 'client identifier invalid');
export const invalidClientCredentials = (): OAuthError =>
  new OAuthError('invalid_client', 'invalid client credentials');
export const unsupportedGrantType = (): OAuthError =>
  new OAuthError('unsupported_grant_type', 'grant type not supported');
export const expiredRefreshToken = (): OAuthError =>
  new OAuthError('invalid_grant', 'expired access/refresh token');
export const invalidAssertion = (): OAuthError =>
  new OAuthError('invalid_grant', 'invalid assertion');
export const unsupportedTokenType = (): OAuthError =>
  new OAuthError('unsupported_token_type', 'this token type is not supported');
