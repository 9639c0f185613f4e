import { SalesforceRetryableError } from './salesforce-client.ts';
import { fetchFailureReason, isFetchTimeout } from '../shared/index.ts';

export interface SalesforceReply {
  readonly status: number;
  readonly body: string;
}

/**
 * One HTTP exchange with Salesforce, body read in full under the same deadline. Failures to
 * get any answer (refused, reset, DNS, deadline) are retryable: Salesforce may not even have
 * seen the request, and every write we make is safe to repeat. `what` names the request in
 * errors; it must never hold a token.
 */
export async function sendRequest(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
  timeoutMs: number,
  what: string,
): Promise<SalesforceReply> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    if (isFetchTimeout(error)) {
      throw new SalesforceRetryableError(
        'SALESFORCE_TIMEOUT',
        `${what}: Salesforce did not answer within ${timeoutMs} ms`,
        { cause: error },
      );
    }
    throw new SalesforceRetryableError(
      'SALESFORCE_UNREACHABLE',
      `${what}: could not reach Salesforce (${fetchFailureReason(error)})`,
      { cause: error },
    );
  }
}
