import type { IdFactory } from '../records/id-factory.ts';
import type { QueryRecord, QueryResult } from '../soql/query-result.ts';

interface Cursor {
  readonly result: QueryResult;
  readonly batchSize: number;
  readonly ownerUserId: string;
}

export interface Page {
  readonly records: readonly QueryRecord[];
  readonly done: boolean;
  /** `01g…-2000`: the locator and the offset of the next page. */
  readonly next: string | null;
}

const MAX_OPEN_CURSORS = 1000;

/**
 * Open query results for `nextRecordsUrl` paging. Salesforce keeps a locator per query and
 * addresses pages as `{locator}-{offset}`; only the user who ran the query may read them.
 */
export class QueryCursors {
  readonly #cursors = new Map<string, Cursor>();

  constructor(private readonly ids: IdFactory) {}

  first(result: QueryResult, batchSize: number, ownerUserId: string): Page {
    if (result.records.length <= batchSize)
      return { records: result.records, done: true, next: null };
    const locator = this.ids.next('01g');
    this.#cursors.set(locator, { result, batchSize, ownerUserId });
    if (this.#cursors.size > MAX_OPEN_CURSORS) {
      const oldest = this.#cursors.keys().next().value;
      if (oldest !== undefined) this.#cursors.delete(oldest);
    }
    return {
      records: result.records.slice(0, batchSize),
      done: false,
      next: `${locator}-${batchSize}`,
    };
  }

  /** The page at `{locator}-{offset}`, or undefined when unknown or not this user's. */
  page(token: string, userId: string): { result: QueryResult; page: Page } | undefined {
    const match = /^([a-zA-Z0-9]{15,18})-(\d+)$/.exec(token);
    if (!match) return undefined;
    const [, locator = '', offsetText = '0'] = match;
    const cursor = this.#cursors.get(locator);
    if (!cursor || cursor.ownerUserId !== userId) return undefined;
    const offset = Number(offsetText);
    const end = offset + cursor.batchSize;
    const done = end >= cursor.result.records.length;
    if (done) this.#cursors.delete(locator);
    return {
      result: cursor.result,
      page: {
        records: cursor.result.records.slice(offset, end),
        done,
        next: done ? null : `${locator}-${end}`,
      },
    };
  }
}
