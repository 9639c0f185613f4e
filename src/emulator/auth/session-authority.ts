import type { SalesforceApiError } from '../api-error.ts';

/** An API session, as an access token (OAuth) or session id (SOAP login) stands for. */
export interface Session {
  readonly accessToken: string;
  readonly userId: string;
  readonly username: string;
  readonly organizationId: string;
  /** The connected app that obtained it, or null for a SOAP login / outbound-message session. */
  readonly clientId: string | null;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
}

/** A user of the emulated org (config), mirrored as a `User` record in the store. */
export interface EmulatorUser {
  readonly id: string;
  readonly username: string;
  readonly password: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
}

/**
 * Issues and checks sessions. Every API (REST, SOAP, OAuth userinfo) authenticates through
 * this one object, so an expired or revoked token gets the same error everywhere.
 */
export interface SessionAuthority {
  /** The session behind a bearer token / session id, or throws INVALID_SESSION_ID (401). */
  authenticate(token: string | undefined): Session;
  /** A new session for a user (outbound messages' legacy SessionId, tests). */
  issue(userId: string, clientId?: string | null): Session;
  /** SOAP `login` and the OAuth password grant: throws INVALID_LOGIN for a wrong user or password. */
  login(username: string, password: string): Session;
  /** Ends one session; false when it was unknown. */
  revoke(token: string): boolean;
  /** Fault injection: every live session expires now. */
  expireAll(): void;
  findUser(userIdOrUsername: string): EmulatorUser | undefined;
}

export type { SalesforceApiError };
