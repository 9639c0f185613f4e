import type { FastifyRequest } from 'fastify';
import { SalesforceApiError } from '../api-error.ts';
import { runSoql, type QueryResult } from '../soql/index.ts';
import type { Page } from './query-cursors.ts';
import { renderQueryResult, type Json } from './render-record.ts';
import type { RestContext, RestRequest } from './rest-context.ts';

const DEFAULT_BATCH_SIZE = 2000;

/** `/query` and `/queryAll` (`?q=`), and their pages `/query/{locator}-{offset}`. */
export function queryRoutes(context: RestContext): void {
  const { app } = context;
  app.get('/services/data/:version/query', async (request: RestRequest) =>
    query(context, request, false),
  );
  app.get('/services/data/:version/queryAll', async (request: RestRequest) =>
    query(context, request, true),
  );
  app.get('/services/data/:version/query/:locator', async (request: RestRequest) =>
    queryMore(context, request, false),
  );
  app.get('/services/data/:version/queryAll/:locator', async (request: RestRequest) =>
    queryMore(context, request, true),
  );
}

function query(context: RestContext, request: RestRequest, includeDeleted: boolean): Json {
  const version = context.apiVersion(request);
  const session = context.authenticate(request);
  const soql = request.query.q;
  if (soql === undefined || soql.trim() === '') {
    throw new SalesforceApiError('MALFORMED_QUERY', 'A query string has to be specified');
  }
  const result = runSoql(context.store, soql, { includeDeleted, now: context.clock.now() });
  // `FOR VIEW` / `FOR REFERENCE` queries mark what they return as recently viewed.
  if (result.tracking)
    context.recent.touch(
      session.userId,
      result.records.map((r) => r.id),
    );
  const page = context.cursors.first(result, batchSizeOf(request), session.userId);
  return renderPage(context, version, includeDeleted, result, page);
}

function queryMore(context: RestContext, request: RestRequest, includeDeleted: boolean): Json {
  const version = context.apiVersion(request);
  const session = context.authenticate(request);
  const found = context.cursors.page(request.params.locator ?? '', session.userId);
  if (!found)
    throw new SalesforceApiError('INVALID_QUERY_LOCATOR', 'invalid query locator', {
      status: 400,
    });
  return renderPage(context, version, includeDeleted, found.result, found.page);
}

function renderPage(
  context: RestContext,
  version: string,
  includeDeleted: boolean,
  result: QueryResult,
  page: Page,
): Json {
  const base = `/services/data/v${version}/${includeDeleted ? 'queryAll' : 'query'}`;
  return renderQueryResult(
    context.store.schema,
    version,
    result,
    page.records,
    page.done,
    page.next ? `${base}/${page.next}` : null,
  );
}

/** `Sforce-Query-Options: batchSize=n`, clamped to 200..2000 as Salesforce does. */
function batchSizeOf(request: FastifyRequest): number {
  const header = request.headers['sforce-query-options'];
  const match = typeof header === 'string' ? /batchSize\s*=\s*(\d+)/i.exec(header) : null;
  const size = Number(match?.[1] ?? DEFAULT_BATCH_SIZE);
  return Math.min(Math.max(size, 200), 2000);
}
