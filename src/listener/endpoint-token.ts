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
