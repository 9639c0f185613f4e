import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/**
 * Composite requests run their sub-requests through the REST routes themselves (so every
 * resource behaves the same inside and outside them). Sub-requests carry this header, with a
 * secret made per process, so the API hooks count the composite call once, as Salesforce does
 * ("The entire Composite request counts as a single call toward your API limits").
 */
export const SUBREQUEST_HEADER = 'x-sfrelay-emulator-subrequest';
const SUBREQUEST_SECRET = randomBytes(18).toString('base64url');

export function subrequestHeaders(): Record<string, string> {
  return { [SUBREQUEST_HEADER]: SUBREQUEST_SECRET };
}

export function isSubrequest(request: FastifyRequest): boolean {
  return request.headers[SUBREQUEST_HEADER] === SUBREQUEST_SECRET;
}
