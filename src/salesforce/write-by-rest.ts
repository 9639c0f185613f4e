import { restFailure } from './classify-failure.ts';
import { apiUrl, type Credential } from './credential.ts';
import type { OrderResult } from './salesforce-client.ts';
import { sendRequest } from './send-request.ts';

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
  const reply = await sendRequest(
    apiUrl(
      credential,
      `/services/data/v${context.apiVersion}/sobjects/Opportunity/${opportunityId}`,
    ),
    {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${credential.accessToken}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({
        Order_Number__c: result.orderNumber,
        Order_Status__c: result.orderStatus,
      }),
    },
    context.timeoutMs,
    what,
  );
  if (reply.status < 200 || reply.status >= 300) throw restFailure(reply.status, reply.body, what);
}
