import type { RecordStore } from '../records/record-store.ts';
import { compileQuery } from './compile-query.ts';
import { executeQuery } from './execute-query.ts';
import { parseSoql } from './parser.ts';
import type { QueryResult } from './query-result.ts';
import { RunContext } from './run-context.ts';

export {
  isQueryRecord,
  isQueryResult,
  type QueryField,
  type QueryRecord,
  type QueryResult,
} from './query-result.ts';

export interface RunSoqlOptions {
  /** `queryAll`: soft-deleted rows are visible too. */
  readonly includeDeleted?: boolean;
  /** The instant relative date literals (TODAY, LAST_N_DAYS:n) are resolved against. */
  readonly now?: Date;
}

/**
 * Runs a SOQL query against the store and returns every matching row (the APIs page it).
 * Raises SalesforceApiError with Salesforce's codes: MALFORMED_QUERY, INVALID_TYPE,
 * INVALID_FIELD, INVALID_QUERY_FILTER_OPERATOR.
 */
export function runSoql(
  store: RecordStore,
  soql: string,
  options: RunSoqlOptions = {},
): QueryResult {
  const parsed = parseSoql(soql);
  const query = compileQuery(store.schema, parsed, options.now ?? new Date());
  const result = executeQuery(query, new RunContext(store, options.includeDeleted ?? false));
  return parsed.tracking ? { ...result, tracking: parsed.tracking } : result;
}
