import type { z } from 'zod';
import { badReply, describeIssues, restFailure } from './classify-failure.ts';
import { apiUrl, type Credential } from './credential.ts';
import { sendRequest, type SalesforceReply } from './send-request.ts';

/** A JSON request to the org's REST or Apex REST API, with the org's bearer token. */
export function sendJson(
  credential: Credential,
  request: { readonly method: 'POST' | 'PATCH'; readonly path: string; readonly body: unknown },
  timeoutMs: number,
  what: string,
): Promise<SalesforceReply> {
  return sendRequest(
    apiUrl(credential, request.path),
    {
      method: request.method,
      headers: {
        authorization: `Bearer ${credential.accessToken}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify(request.body),
    },
    timeoutMs,
    what,
  );
}

/**
 * A 200 reply's JSON, checked against `schema`. Any other status is classified like the
 * REST API's errors; a 200 we cannot read is a retryable bad reply (a proxy, an outage page).
 */
export function readJsonReply<T>(reply: SalesforceReply, schema: z.ZodType<T>, what: string): T {
  if (reply.status !== 200) throw restFailure(reply.status, reply.body, what);
  let json: unknown;
  try {
    json = JSON.parse(reply.body);
  } catch {
    throw badReply(what, 'the body is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw badReply(what, describeIssues(parsed.error));
  return parsed.data;
}
