import { restFailure } from './classify-failure.ts';
import type { Credential } from './credential.ts';
import { sendJson } from './json-request.ts';
import type { OrderResult } from './salesforce-client.ts';

export interface WriteContext {
  readonly apiVersion: string;
  readonly timeoutMs: number;
}

/** `PATCH /sobjects/Opportunity/{id}` with the two order fields; Salesforce answers 204. */
export async function writeByRest(
  credential: Credential,
  opportunityId: string,
  result: OrderResult,
  context: WriteContext,
): Promise<void> {
  const what = `PATCH Opportunity ${opportunityId}`;
  const reply = await sendJson(
    credential,
    {
      method: 'PATCH',
      path: `/services/data/v${context.apiVersion}/sobjects/Opportunity/${opportunityId}`,
      body: { Order_Number__c: result.orderNumber, Order_Status__c: result.orderStatus },
    },
    context.timeoutMs,
    what,
  );
  if (reply.status < 200 || reply.status >= 300) throw restFailure(reply.status, reply.body, what);
}
