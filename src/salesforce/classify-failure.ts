import { z } from 'zod';
import { SALESFORCE_REPLY_CODES } from './error-catalogue.ts';
import { SalesforcePermanentError, SalesforceRetryableError } from './salesforce-client.ts';

/**
 * Salesforce rejected the bearer (401 INVALID_SESSION_ID): the caller renews the token or
 * falls back, and retries once. It is a retryable error so that, should it ever escape, the
 * worker still treats it as temporary.
 */
export class InvalidSessionError extends SalesforceRetryableError {
  constructor(what: string) {
    super(
      'INVALID_SESSION_ID',
      `${what}: Salesforce answered INVALID_SESSION_ID (session expired or invalid)`,
    );
  }
}

// Described (and decided) in SALESFORCE_REPLY_CODES, so the docs table is the classification.
const RETRYABLE_CODES = codesWhere(true);
const PERMANENT_CODES = codesWhere(false);

function codesWhere(retryable: boolean): ReadonlySet<string> {
  return new Set(
    Object.entries(SALESFORCE_REPLY_CODES.errors)
      .filter(([, entry]) => entry.retryable === retryable)
      .map(([code]) => code),
  );
}

/**
 * What a permanent failure means for the person reading the dead letter, where the code alone
 * does not say what to change. INSUFFICIENT_ACCESS_OR_READONLY is permanent: retrying cannot
 * give the integration user access; an admin has to.
 */
const PERMANENT_REASONS: Readonly<Record<string, string>> = {
  INSUFFICIENT_ACCESS_OR_READONLY:
    'the integration user lacks edit access to this record: it needs Modify All on the object ' +
    '(the SF_Relay_Integration permission set grants it on Opportunity), ownership of the record, ' +
    'or sharing that gives it Read/Write (README, "Setting up Salesforce")',
};

export interface Failure {
  /** HTTP status of the reply (SOAP faults come with 500). */
  readonly status: number;
  /** Salesforce's `errorCode` / SOAP `statusCode` / fault code, when it sent one. */
  readonly errorCode: string | null;
  readonly message: string;
  /** The request, for the error message: `PATCH Opportunity 006…`. */
  readonly what: string;
}

/**
 * The one place that decides what a Salesforce failure means, by code and status only:
 * the message text is for people and changes with the org's language.
 */
export function classifyFailure(failure: Failure): Error {
  const { status, errorCode, what } = failure;
  const code = errorCode ?? `HTTP_${status}`;
  const detail = failure.message === '' ? '' : `: ${failure.message}`;
  const text = `${what}: Salesforce answered ${status} ${code}${detail}`;
  if (errorCode === 'INVALID_SESSION_ID' || (errorCode === null && status === 401)) {
    return new InvalidSessionError(what);
  }
  if (errorCode !== null && RETRYABLE_CODES.has(errorCode)) {
    return new SalesforceRetryableError(code, text);
  }
  if (errorCode !== null && PERMANENT_CODES.has(errorCode)) {
    const reason = PERMANENT_REASONS[errorCode];
    return new SalesforcePermanentError(code, reason === undefined ? text : `${text} (${reason})`);
  }
  if (status >= 500 || status === 408 || status === 429) {
    return new SalesforceRetryableError(code, text);
  }
  return new SalesforcePermanentError(code, text);
}

// REST and Apex REST errors: `[{"message": "…", "errorCode": "…", "fields": […]}]`.
const restErrorsSchema = z
  .array(z.object({ errorCode: z.string(), message: z.string().optional() }))
  .min(1);

/** A failed REST or Apex REST reply, classified by its first error. */
export function restFailure(status: number, body: string, what: string): Error {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const errors = restErrorsSchema.safeParse(parsed);
  const first = errors.success ? errors.data[0] : undefined;
  return classifyFailure({
    status,
    errorCode: first?.errorCode ?? null,
    message: first?.message ?? '',
    what,
  });
}

/** A 2xx reply we could not understand: retryable, since a proxy or an outage can cause it. */
export function badReply(what: string, problem: string): SalesforceRetryableError {
  return new SalesforceRetryableError(
    'SALESFORCE_BAD_REPLY',
    `${what}: unexpected reply from Salesforce: ${problem}`,
  );
}

/** zod issues as `records.0.StageName: expected string`, never echoing received values. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
