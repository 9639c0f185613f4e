import { z } from 'zod';
import { issuesOf, type ProblemIssue } from './problem.ts';

const HEADER = 'headers.idempotency-key';

/** Printable ASCII, as header values are; long enough for any UUID or Salesforce id. */
const keySchema = z
  .string()
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

export type KeyParse =
  | { readonly ok: true; readonly key: string }
  | { readonly ok: false; readonly errors: readonly ProblemIssue[] };

/** The `Idempotency-Key` header: exactly one, non-empty, printable. */
export function parseIdempotencyKey(header: string | string[] | undefined): KeyParse {
  if (header === undefined || header === '')
    return { ok: false, errors: [{ path: HEADER, message: 'is required' }] };
  if (Array.isArray(header))
    return { ok: false, errors: [{ path: HEADER, message: 'must be given once' }] };
  const key = keySchema.safeParse(header);
  return key.success
    ? { ok: true, key: key.data }
    : { ok: false, errors: issuesOf(key.error, HEADER) };
}
