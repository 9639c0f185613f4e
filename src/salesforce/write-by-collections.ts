import { z } from 'zod';
import { badReply, classifyFailure } from './classify-failure.ts';
import type { Credential } from './credential.ts';
import { readJsonReply, sendJson } from './json-request.ts';
import type { OrderWrite } from './salesforce-client.ts';
import type { WriteContext } from './write-by-rest.ts';

/** "The list can contain up to 200 objects" (sObject Collections, and SOAP `update` alike). */
export const MAX_RECORDS_PER_WRITE = 200;

const saveResultsSchema = z.array(
  z.object({
    success: z.boolean(),
    errors: z
      .array(z.object({ statusCode: z.string(), message: z.string().optional() }))
      .default([]),
  }),
);

/**
 * The failure of one record in a batch write, classified as a single call's failure with the
 * same code is: Salesforce answers record errors with HTTP 400 (or 200 per record), so unknown
 * codes are not worth retrying, and UNABLE_TO_LOCK_ROW still is.
 */
export function recordFailure(errorCode: string | null, message: string, what: string): Error {
  return classifyFailure({ status: 400, errorCode, message, what });
}

/**
 * `PATCH /composite/sobjects` with `allOrNone: false`: one API call for up to 200
 * Opportunities, one SaveResult per record in request order. A record's error fails that
 * record only; a failure of the call (401, 503, …) throws, classified as a single PATCH's.
 */
export async function writeManyByRest(
  credential: Credential,
  writes: readonly OrderWrite[],
  context: WriteContext,
): Promise<Map<string, Error | null>> {
  const what = `PATCH ${writes.length} Opportunities (sObject Collections)`;
  const reply = await sendJson(
    credential,
    {
      method: 'PATCH',
      path: `/services/data/v${context.apiVersion}/composite/sobjects`,
      body: {
        allOrNone: false,
        records: writes.map(({ opportunityId, result }) => ({
          attributes: { type: 'Opportunity' },
          id: opportunityId,
          Order_Number__c: result.orderNumber,
          Order_Status__c: result.orderStatus,
        })),
      },
    },
    context.timeoutMs,
    what,
  );
  const saveResults = readJsonReply(reply, saveResultsSchema, what);
  if (saveResults.length !== writes.length) {
    throw badReply(what, `${saveResults.length} results for ${writes.length} records`);
  }
  const outcomes = new Map<string, Error | null>();
  writes.forEach(({ opportunityId }, index) => {
    const result = saveResults[index];
    const error = result?.errors[0];
    outcomes.set(
      opportunityId,
      result?.success === true
        ? null
        : recordFailure(
            error?.statusCode ?? null,
            error?.message ?? '',
            `PATCH Opportunity ${opportunityId}`,
          ),
    );
  });
  return outcomes;
}
