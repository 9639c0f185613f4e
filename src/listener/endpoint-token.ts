import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares in constant time. Hashing first gives both sides the same length, so neither the
 * comparison nor a length check tells an attacker how close a guess was.
 */
export function endpointTokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(given));
}

/**
 * The header a proxy may carry the endpoint token in instead of the path (Salesforce itself can
 * only put it in the path; proxies and access logs record paths, not this header).
 */
export const ENDPOINT_TOKEN_HEADER = 'x-sfrelay-endpoint-token';

/** The token the sender presented: in the path, else in the header when a token is configured. */
export function presentedToken(
  expected: string | undefined,
  pathToken: string | undefined,
  headers: Readonly<Record<string, string | string[] | undefined>>,
): string | undefined {
  if (pathToken !== undefined || expected === undefined) return pathToken;
  const header = headers[ENDPOINT_TOKEN_HEADER];
  return Array.isArray(header) ? header[0] : header;
}
