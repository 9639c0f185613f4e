import { z } from 'zod';
import { badReply, describeIssues, restFailure } from './classify-failure.ts';
import { apiUrl, type Credential } from './credential.ts';
import type { OpportunityLine, OpportunitySnapshot } from './salesforce-client.ts';
import { sendRequest } from './send-request.ts';

export interface ReadContext {
  readonly apiVersion: string;
  readonly timeoutMs: number;
}

const lineSchema = z.object({
  Id: z.string(),
  Quantity: z.number(),
  UnitPrice: z.number().nullable(),
  TotalPrice: z.number().nullable(),
  // A parent lookup is null when empty; Salesforce leaves nothing out of a row it selected.
  Product2: z
    .object({ ProductCode: z.string().nullable(), Name: z.string().nullable() })
    .nullable(),
});

const lineItemsSchema = z.object({
  totalSize: z.number(),
  done: z.boolean(),
  nextRecordsUrl: z.string().startsWith('/services/data/').optional(),
  records: z.array(lineSchema),
});
type LineItemsPage = z.infer<typeof lineItemsSchema>;

const opportunitySchema = z.object({
  Id: z.string(),
  Name: z.string(),
  StageName: z.string(),
  Amount: z.number().nullable(),
  CloseDate: z.string().nullable(),
  AccountId: z.string().nullable(),
  Account: z.object({ Name: z.string().nullable() }).nullable(),
  Order_Number__c: z.string().nullable(),
  Order_Status__c: z.string().nullable(),
  // A child relationship with no rows is null, not an empty result.
  OpportunityLineItems: lineItemsSchema.nullable(),
});

const queryReplySchema = z.object({
  totalSize: z.number(),
  done: z.boolean(),
  records: z.array(opportunitySchema),
});

const SELECT =
  'SELECT Id, Name, StageName, Amount, CloseDate, AccountId, Account.Name, Order_Number__c, Order_Status__c, ' +
  '(SELECT Id, Quantity, UnitPrice, TotalPrice, Product2.ProductCode, Product2.Name FROM OpportunityLineItems) ' +
  'FROM Opportunity';

/**
 * The Opportunity as Salesforce holds it now, by SOQL over REST; null when it is gone
 * (deleted or never existed: the query finds no row). `opportunityId` must already be a
 * checked id, because it is placed in the SOQL text.
 */
export async function readOpportunity(
  credential: Credential,
  opportunityId: string,
  context: ReadContext,
): Promise<OpportunitySnapshot | null> {
  const what = `read back Opportunity ${opportunityId}`;
  const soql = `${SELECT} WHERE Id = '${opportunityId}'`;
  const path = `/services/data/v${context.apiVersion}/query?q=${encodeURIComponent(soql)}`;
  const result = queryReplySchema.safeParse(await getJson(credential, path, context, what));
  if (!result.success) throw badReply(what, `query result: ${describeIssues(result.error)}`);
  const [record] = result.data.records;
  if (result.data.totalSize === 0 || record === undefined) return null;

  const lines: OpportunityLine[] = [];
  let page: LineItemsPage | null = record.OpportunityLineItems;
  while (page !== null) {
    lines.push(...page.records.map(toLine));
    if (page.done || page.nextRecordsUrl === undefined) break;
    const more = lineItemsSchema.safeParse(
      await getJson(credential, page.nextRecordsUrl, context, what),
    );
    if (!more.success) throw badReply(what, `line item page: ${describeIssues(more.error)}`);
    page = more.data;
  }
  return {
    id: record.Id,
    name: record.Name,
    stageName: record.StageName,
    amount: record.Amount,
    closeDate: record.CloseDate,
    accountId: record.AccountId,
    accountName: record.Account?.Name ?? null,
    orderNumber: record.Order_Number__c,
    orderStatus: record.Order_Status__c,
    lineItems: lines,
  };
}

function toLine(line: z.infer<typeof lineSchema>): OpportunityLine {
  return {
    id: line.Id,
    productCode: line.Product2?.ProductCode ?? null,
    productName: line.Product2?.Name ?? null,
    quantity: line.Quantity,
    unitPrice: line.UnitPrice,
    totalPrice: line.TotalPrice,
  };
}

async function getJson(
  credential: Credential,
  path: string,
  context: ReadContext,
  what: string,
): Promise<unknown> {
  const reply = await sendRequest(
    apiUrl(credential, path),
    {
      method: 'GET',
      headers: { authorization: `Bearer ${credential.accessToken}`, accept: 'application/json' },
    },
    context.timeoutMs,
    what,
  );
  if (reply.status !== 200) throw restFailure(reply.status, reply.body, what);
  try {
    return JSON.parse(reply.body);
  } catch {
    throw badReply(what, 'the body is not JSON');
  }
}
