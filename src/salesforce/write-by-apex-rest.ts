import { z } from 'zod';
import { toId15 } from '../soap/index.ts';
import { badReply, classifyFailure } from './classify-failure.ts';
import type { Credential } from './credential.ts';
import { readJsonReply, sendJson } from './json-request.ts';
import type { OrderResult, OrderWrite } from './salesforce-client.ts';
import type { WriteContext } from './write-by-rest.ts';

/** The `SfRelayOrders` Apex class's path (`@RestResource(urlMapping='/sfrelay/orders')`). */
export const APEX_REST_ORDERS_PATH = '/services/apexrest/sfrelay/orders';

const replySchema = z.object({ success: z.literal(true), opportunityId: z.string() });

const listReplySchema = z.object({
  results: z.array(
    z.union([
      z.object({ success: z.literal(true), opportunityId: z.string() }),
      z.object({
        success: z.literal(false),
        opportunityId: z.string(),
        status: z.number().int(),
        errorCode: z.string(),
        message: z.string().optional(),
      }),
    ]),
  ),
});

/**
 * POSTs the order result to the Apex REST class, which updates the Opportunity inside
 * Salesforce (one DML, the org's own validation and automation). Contract: request
 * `{"opportunityId","orderNumber","orderStatus"}`, reply 200 `{"success":true,"opportunityId"}`,
 * errors `[{"errorCode","message"}]` like the REST API's.
 */
export async function writeByApexRest(
  credential: Credential,
  opportunityId: string,
  result: OrderResult,
  context: WriteContext,
): Promise<void> {
  const what = `POST ${APEX_REST_ORDERS_PATH} for Opportunity ${opportunityId}`;
  const reply = await sendJson(
    credential,
    {
      method: 'POST',
      path: APEX_REST_ORDERS_PATH,
      body: { opportunityId, orderNumber: result.orderNumber, orderStatus: result.orderStatus },
    },
    context.timeoutMs,
    what,
  );
  const confirmed = readJsonReply(reply, replySchema, what);
  if (!sameRecord(confirmed.opportunityId, opportunityId)) {
    throw badReply(what, `the class updated ${confirmed.opportunityId}, not ${opportunityId}`);
  }
}

function sameRecord(a: string, b: string): boolean {
  try {
    return toId15(a) === toId15(b);
  } catch {
    return false;
  }
}

/**
 * The class's list form: `{"orders": [{"opportunityId","orderNumber","orderStatus"}, …]}` (up
 * to 200), one DML for all, reply 200 `{"results": [{"opportunityId","success":true} |
 * {"opportunityId","success":false,"status","errorCode","message"}]}` in request order. A
 * failed order carries the status the single form would have answered, so it is classified
 * exactly as that answer would be.
 */
export async function writeManyByApexRest(
  credential: Credential,
  writes: readonly OrderWrite[],
  context: WriteContext,
): Promise<Map<string, Error | null>> {
  const what = `POST ${APEX_REST_ORDERS_PATH} for ${writes.length} Opportunities`;
  const reply = await sendJson(
    credential,
    {
      method: 'POST',
      path: APEX_REST_ORDERS_PATH,
      body: {
        orders: writes.map(({ opportunityId, result }) => ({
          opportunityId,
          orderNumber: result.orderNumber,
          orderStatus: result.orderStatus,
        })),
      },
    },
    context.timeoutMs,
    what,
  );
  const { results } = readJsonReply(reply, listReplySchema, what);
  if (results.length !== writes.length) {
    throw badReply(what, `${results.length} results for ${writes.length} orders`);
  }
  const outcomes = new Map<string, Error | null>();
  writes.forEach(({ opportunityId }, index) => {
    const result = results[index];
    const one = `POST ${APEX_REST_ORDERS_PATH} for Opportunity ${opportunityId}`;
    if (result === undefined || !sameRecord(result.opportunityId, opportunityId)) {
      outcomes.set(opportunityId, badReply(one, `result ${index} is for another Opportunity`));
    } else if (result.success) {
      outcomes.set(opportunityId, null);
    } else {
      outcomes.set(
        opportunityId,
        classifyFailure({
          status: result.status,
          errorCode: result.errorCode,
          message: result.message ?? '',
          what: one,
        }),
      );
    }
  });
  return outcomes;
}
