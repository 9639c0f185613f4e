import { createPrivateKey, sign } from 'node:crypto';

/**
 * Salesforce refuses an assertion whose `exp` lies more than three minutes ahead; 150 s leaves
 * room for clock skew between us and the org.
 */
export const ASSERTION_LIFETIME_SECONDS = 150;

export interface AssertionClaims {
  /** The connected app's consumer key. */
  readonly iss: string;
  /** The username the token acts as. */
  readonly sub: string;
  /** The login URL (login.salesforce.com, test.salesforce.com or the My Domain). */
  readonly aud: string;
  readonly now: Date;
}

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An RS256 JWT for the OAuth 2.0 JWT bearer flow. Throws when the key is not a usable private key. */
export function signJwtAssertion(claims: AssertionClaims, privateKeyPem: string): string {
  const key = createPrivateKey(privateKeyPem);
  const payload = {
    iss: claims.iss,
    sub: claims.sub,
    aud: claims.aud.replace(/\/+$/, ''),
    exp: Math.floor(claims.now.getTime() / 1000) + ASSERTION_LIFETIME_SECONDS,
  };
  const input = `${encode({ alg: 'RS256' })}.${encode(payload)}`;
  const signature = sign('RSA-SHA256', Buffer.from(input, 'ascii'), key).toString('base64url');
  return `${input}.${signature}`;
}
