import { randomBytes } from 'node:crypto';
import type { Clock } from '../../shared/index.ts';
import type { QueryRecord } from '../soql/query-result.ts';
import { SoapApiFault } from './soap-fault.ts';

/** Salesforce closes a query cursor after 15 minutes without a `queryMore`. */
export const CURSOR_IDLE_MS = 15 * 60 * 1000;

interface Cursor {
  readonly userId: string;
  readonly records: readonly QueryRecord[];
  readonly totalSize: number;
  lastUsedMs: number;
}

export interface Page {
  readonly records: readonly QueryRecord[];
  readonly totalSize: number;
  /** `null` on the last page. */
  readonly queryLocator: string | null;
}

const invalidLocator = (): SoapApiFault =>
  new SoapApiFault('INVALID_QUERY_LOCATOR', 'invalid query locator');

/**
 * Open query results, paged by locators shaped like Salesforce's (`01gXXXXXXXXXXXXXXX-500`:
 * a cursor id, then the position of the next row).
 */
export class QueryCursors {
  readonly #cursors = new Map<string, Cursor>();

  constructor(private readonly clock: Clock) {}

  /** The first page; the rest stays open for `queryMore` when it does not fit. */
  open(
    userId: string,
    records: readonly QueryRecord[],
    totalSize: number,
    batchSize: number,
  ): Page {
    this.#sweep();
    if (records.length <= batchSize) return { records, totalSize, queryLocator: null };
    const id = `01g${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x').slice(0, 15)}`;
    this.#cursors.set(id, { userId, records, totalSize, lastUsedMs: this.clock.now().getTime() });
    return { records: records.slice(0, batchSize), totalSize, queryLocator: `${id}-${batchSize}` };
  }

  next(userId: string, locator: string, batchSize: number): Page {
    this.#sweep();
    const match = /^(01g[A-Za-z0-9]+)-(\d+)$/.exec(locator.trim());
    const cursor = match?.[1] === undefined ? undefined : this.#cursors.get(match[1]);
    const position = Number(match?.[2]);
    if (!match?.[1] || !cursor || cursor.userId !== userId || position > cursor.records.length)
      throw invalidLocator();
    cursor.lastUsedMs = this.clock.now().getTime();
    const end = position + batchSize;
    const records = cursor.records.slice(position, end);
    if (end >= cursor.records.length) {
      this.#cursors.delete(match[1]);
      return { records, totalSize: cursor.totalSize, queryLocator: null };
    }
    return { records, totalSize: cursor.totalSize, queryLocator: `${match[1]}-${end}` };
  }

  #sweep(): void {
    const now = this.clock.now().getTime();
    for (const [id, cursor] of this.#cursors) {
      if (now - cursor.lastUsedMs > CURSOR_IDLE_MS) this.#cursors.delete(id);
    }
  }
}
