/** What one API call needs: where the org's API lives and the bearer to present there. */
export interface Credential {
  /** Scheme and host, without a trailing slash: `https://acme.my.salesforce.com`. */
  readonly instanceUrl: string;
  /** An OAuth access token or (legacy) the message's SessionId. A secret: never log it. */
  readonly accessToken: string;
}

/**
 * One Salesforce API request made with a credential. It may run twice (a fresh token after
 * INVALID_SESSION_ID), which is safe because a 401 means Salesforce did nothing.
 */
export type ApiCall<T> = (credential: Credential) => Promise<T>;

export function apiUrl(credential: Credential, path: string): string {
  return `${credential.instanceUrl}${path}`;
}
