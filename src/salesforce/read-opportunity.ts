import { z } from 'zod';
import { badReply, describeIssues, restFailure } from './classify-failure.ts';
import { apiUrl, type Credential } from './credential.ts';
import type { OpportunityLine, OpportunitySnapshot } from './salesforce-client.ts';
import { sendRequest } from './send-request.ts';
import { isSalesforceId, toId18 } from '../soap/index.ts';

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
  nextRecordsUrl: z.string().startsWith('/services/data/').optional(),
  records: z.array(opportunitySchema),
});
type OpportunityRow = z.infer<typeof opportunitySchema>;

const SELECT =
  'SELECT Id, Name, StageName, Amount, CloseDate, AccountId, Account.Name, Order_Number__c, Order_Status__c, ' +
  '(SELECT Id, Quantity, UnitPrice, TotalPrice, Product2.ProductCode, Product2.Name FROM OpportunityLineItems) ' +
  'FROM Opportunity';

/**
 * Salesforce refuses a REST URI over 16,384 bytes (414); the query travels in the URL, so ids
 * are split into queries that stay under it with room for the instance URL.
 */
const MAX_QUERY_PATH_CHARS = 15_000;

const queryPath = (apiVersion: string, ids: readonly string[]): string => {
  const soql =
    ids.length === 1
      ? `${SELECT} WHERE Id = '${ids[0] ?? ''}'`
      : `${SELECT} WHERE Id IN (${ids.map((id) => `'${id}'`).join(',')})`;
  return `/services/data/v${apiVersion}/query?q=${encodeURIComponent(soql)}`;
};

/** `ids` in groups whose query fits one URL, in order. */
export function chunkIdsForQuery(ids: readonly string[], apiVersion: string): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  for (const id of ids) {
    if (
      current.length > 0 &&
      queryPath(apiVersion, [...current, id]).length > MAX_QUERY_PATH_CHARS
    ) {
      chunks.push(current);
      current = [];
    }
    current.push(id);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

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
  const found = await readOpportunities(credential, [opportunityId], context);
  return found.get(opportunityId) ?? null;
}

/**
 * Many Opportunities by one `WHERE Id IN (…)` query (the caller keeps the ids within one
 * URL: `chunkIdsForQuery`), following the query's own pages and each record's line item
 * pages. Keyed by the 18-character id; an id absent from the result no longer exists. The ids
 * must already be checked 18-character ids, because they are placed in the SOQL text.
 */
export async function readOpportunities(
  credential: Credential,
  opportunityIds: readonly string[],
  context: ReadContext,
): Promise<Map<string, OpportunitySnapshot>> {
  const what =
    opportunityIds.length === 1
      ? `read back Opportunity ${opportunityIds[0] ?? ''}`
      : `read back ${opportunityIds.length} Opportunities`;
  const rows: OpportunityRow[] = [];
  let next: string | undefined = queryPath(context.apiVersion, opportunityIds);
  while (next !== undefined) {
    const result = queryReplySchema.safeParse(await getJson(credential, next, context, what));
    if (!result.success) throw badReply(what, `query result: ${describeIssues(result.error)}`);
    rows.push(...result.data.records);
    // Queries with a child subquery come back in smaller pages than the usual 2,000 rows.
    next = result.data.done ? undefined : result.data.nextRecordsUrl;
  }
  const snapshots = new Map<string, OpportunitySnapshot>();
  for (const record of rows) {
    if (!isSalesforceId(record.Id)) throw badReply(what, 'a record without a valid Id');
    snapshots.set(toId18(record.Id), await toSnapshot(credential, record, context, what));
  }
  return snapshots;
}

async function toSnapshot(
  credential: Credential,
  record: OpportunityRow,
  context: ReadContext,
  what: string,
): Promise<OpportunitySnapshot> {
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
