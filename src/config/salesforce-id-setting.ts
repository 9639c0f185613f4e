import { z } from 'zod';
import { idChecksum, isSalesforceId } from '../soap/index.ts';

/**
 * Why `value` is not a usable Salesforce id, or undefined when it is. An 18-character id whose
 * last three characters are not the checksum of the first fifteen is a mistyped id (an org
 * would never send it), so it is refused with the right suffix named.
 */
export function salesforceIdProblem(value: string): string | undefined {
  if (!isSalesforceId(value))
    return `must be a 15- or 18-character Salesforce id, got ${JSON.stringify(value)}`;
  if (value.length === 15) return undefined;
  const id15 = value.slice(0, 15);
  const expected = idChecksum(id15);
  const suffix = value.slice(15);
  if (suffix.toUpperCase() === expected) return undefined;
  return (
    `${value} has the checksum suffix ${suffix}, but the suffix of ${id15} is ${expected}: ` +
    `use ${id15}${expected} (or the 15-character ${id15}), after checking the first 15 characters ` +
    'against Setup → Company Information'
  );
}

/** A Salesforce id setting (org ids, action ids), refused with the fix named when it is wrong. */
export const salesforceIdSetting = z
  .string()
  .trim()
  .superRefine((value, context) => {
    const problem = salesforceIdProblem(value);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  });
