import type { SoapRequest } from './parse-request.ts';
import { childText } from './parse-request.ts';
import { type SoapOperation, asSoapFault, authenticate } from './soap-context.ts';
import { SoapApiFault } from './soap-fault.ts';

export const DEFAULT_BATCH_SIZE = 500;
const MIN_BATCH_SIZE = 200;
const MAX_BATCH_SIZE = 2000;

/** `QueryOptions/batchSize`, clamped to 200..2000 as Salesforce does. */
const batchSizeOf = (request: SoapRequest): number =>
  Math.min(MAX_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, request.batchSize ?? DEFAULT_BATCH_SIZE));

/** `query` (live records) or `queryAll` (deleted ones too): the first page and a locator. */
const runQuery =
  (includeDeleted: boolean): SoapOperation =>
  (context, { request, renderer }) => {
    const session = authenticate(context, request);
    const { runSoql } = context;
    if (!runSoql)
      throw new SoapApiFault('UNKNOWN_EXCEPTION', 'the emulator was started without a SOQL engine');
    const soql = childText(request.operation, 'queryString') ?? '';
    const result = asSoapFault(() => runSoql(context.store, soql, { includeDeleted }));
    const page = context.cursors.open(
      session.userId,
      result.records,
      result.totalSize,
      batchSizeOf(request),
    );
    return renderer.queryResult(page.records, page.totalSize, page.queryLocator);
  };

export const query = runQuery(false);
export const queryAll = runQuery(true);

/** The next page of a query's locator, for the session that opened it. */
export const queryMore: SoapOperation = (context, { request, renderer }) => {
  const session = authenticate(context, request);
  const locator = childText(request.operation, 'queryLocator') ?? '';
  const page = context.cursors.next(session.userId, locator, batchSizeOf(request));
  return renderer.queryResult(page.records, page.totalSize, page.queryLocator);
};
