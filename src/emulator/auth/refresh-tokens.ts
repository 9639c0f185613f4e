import { randomBytes } from 'node:crypto';

export interface RefreshGrant {
  readonly userId: string;
  readonly clientId: string;
  /** Access tokens obtained with it: revoking the refresh token ends them too, as Salesforce does. */
  readonly accessTokens: Set<string>;
}

/**
 * Refresh tokens outlive sessions: expiring every session (the control API) leaves them valid,
 * so a client can recover exactly as it would from a real org's session timeout.
 */
export class RefreshTokens {
  readonly #grants = new Map<string, RefreshGrant>();

  issue(userId: string, clientId: string, accessToken: string): string {
    // Salesforce refresh tokens start with `5Aep861` and use the same alphabet as access tokens.
    const token = `5Aep861${randomBytes(60).toString('base64url').replaceAll('-', '.')}`;
    this.#grants.set(token, { userId, clientId, accessTokens: new Set([accessToken]) });
    return token;
  }

  find(token: string): RefreshGrant | undefined {
    return this.#grants.get(token);
  }

  /** The grant that was removed, or undefined when the token was unknown. */
  revoke(token: string): RefreshGrant | undefined {
    const grant = this.#grants.get(token);
    this.#grants.delete(token);
    return grant;
  }
}
