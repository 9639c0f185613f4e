import { randomBytes } from 'node:crypto';

/**
 * The random part of a claim's fencing token; the stores append each row's seq, so every row
 * of every claim gets its own. Unguessable, so no other worker can forge one.
 */
export function newLeaseToken(): string {
  return randomBytes(12).toString('base64url');
}
