import type Database from 'better-sqlite3';
import type { Clock } from '../shared/index.ts';
import type { ErpOrderRequest, OrderJson } from '../erp/index.ts';
import { canonicalHash } from './canonical-hash.ts';

export type CreateOutcome =
  | { readonly kind: 'created'; readonly order: OrderJson }
  | { readonly kind: 'replayed'; readonly order: OrderJson }
  /** The key already created an order from a different body. */
  | { readonly kind: 'conflict'; readonly orderNumber: string };

export interface PendingOrder {
  readonly request: ErpOrderRequest;
  readonly idempotencyKey: string;
}

export interface FailedCreate {
  readonly kind: 'failed';
  readonly error: unknown;
}

interface OrderRow {
  id: number;
  order_number: string;
  opportunity_id: string;
  request_hash: string;
  status: string;
  created_at: string;
}

interface LineRow {
  line_number: number;
  product_code: string | null;
  product_name: string;
  quantity: number;
  unit_price: number;
}

export function formatOrderNumber(sequence: number): string {
  return `SO-${String(sequence).padStart(6, '0')}`;
}

const ORDER_COLUMNS = 'id, order_number, opportunity_id, request_hash, status, created_at';

/** The ERP's orders table: create-once by idempotency key, and the reads. */
export class OrderStore {
  readonly #db: Database.Database;
  readonly #clock: Clock;
  readonly #byKey: Database.Statement<[string], OrderRow>;
  readonly #byNumber: Database.Statement<[string], OrderRow>;
  readonly #byOpportunity: Database.Statement<[string, number, number], OrderRow>;
  readonly #all: Database.Statement<[number, number], OrderRow>;
  readonly #lines: Database.Statement<[number], LineRow>;
  readonly #nextId: Database.Statement<[], { next: number }>;
  readonly #insertOrder: Database.Statement<
    [number, string, string, string, string, string, string, string],
    unknown
  >;
  readonly #insertLine: Database.Statement<
    [number, number, string | null, string, number, number],
    unknown
  >;
  readonly #create: Database.Transaction<
    (request: ErpOrderRequest, key: string, hash: string) => CreateOutcome
  >;
  readonly #createMany: Database.Transaction<
    (requests: readonly PendingOrder[]) => (CreateOutcome | FailedCreate)[]
  >;

  constructor(db: Database.Database, clock: Clock) {
    this.#db = db;
    this.#clock = clock;
    this.#byKey = db.prepare(`SELECT ${ORDER_COLUMNS} FROM orders WHERE idempotency_key = ?`);
    this.#byNumber = db.prepare(`SELECT ${ORDER_COLUMNS} FROM orders WHERE order_number = ?`);
    this.#byOpportunity = db.prepare(
      `SELECT ${ORDER_COLUMNS} FROM orders WHERE opportunity_id = ? ORDER BY id LIMIT ? OFFSET ?`,
    );
    this.#all = db.prepare(`SELECT ${ORDER_COLUMNS} FROM orders ORDER BY id LIMIT ? OFFSET ?`);
    this.#lines = db.prepare(
      `SELECT line_number, product_code, product_name, quantity, unit_price
       FROM order_lines WHERE order_id = ? ORDER BY line_number`,
    );
    this.#nextId = db.prepare('SELECT coalesce(max(id), 0) + 1 AS next FROM orders');
    this.#insertOrder = db.prepare(
      `INSERT INTO orders (id, order_number, idempotency_key, opportunity_id, request_hash,
                           request_json, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#insertLine = db.prepare(
      `INSERT INTO order_lines (order_id, line_number, product_code, product_name, quantity,
                                unit_price)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.#create = db.transaction((request: ErpOrderRequest, key: string, hash: string) =>
      this.#createInTransaction(request, key, hash),
    );
    this.#createMany = db.transaction((requests: readonly PendingOrder[]) =>
      requests.map((pending) => {
        try {
          // Nested: a savepoint, so one order's failure undoes only its own rows.
          return this.#create(
            pending.request,
            pending.idempotencyKey,
            canonicalHash(pending.request),
          );
        } catch (error) {
          return { kind: 'failed', error } as const;
        }
      }),
    );
  }

  /**
   * One IMMEDIATE transaction from the key lookup to the last line: a second request with the
   * same key, from this process or another on the same file, waits and then finds the order.
   */
  create(request: ErpOrderRequest, idempotencyKey: string): CreateOutcome {
    return this.#create.immediate(request, idempotencyKey, canonicalHash(request));
  }

  /**
   * Several creates in one IMMEDIATE transaction, so one fsync pays for all of them; each
   * outcome is that of `create`, or the error that undid only that order.
   */
  createMany(requests: readonly PendingOrder[]): (CreateOutcome | FailedCreate)[] {
    return this.#createMany.immediate(requests);
  }

  get(orderNumber: string): OrderJson | undefined {
    const row = this.#byNumber.get(orderNumber);
    return row && this.#toJson(row);
  }

  list(
    filter: { opportunityId?: string | undefined; limit?: number; offset?: number } = {},
  ): OrderJson[] {
    const limit = filter.limit ?? -1;
    const offset = filter.offset ?? 0;
    const rows =
      filter.opportunityId === undefined
        ? this.#all.all(limit, offset)
        : this.#byOpportunity.all(filter.opportunityId, limit, offset);
    return rows.map((row) => this.#toJson(row));
  }

  close(): void {
    this.#db.close();
  }

  #createInTransaction(request: ErpOrderRequest, key: string, hash: string): CreateOutcome {
    const existing = this.#byKey.get(key);
    if (existing) {
      return existing.request_hash === hash
        ? { kind: 'replayed', order: this.#toJson(existing) }
        : { kind: 'conflict', orderNumber: existing.order_number };
    }
    const id = this.#nextId.get()?.next ?? 1;
    this.#insertOrder.run(
      id,
      formatOrderNumber(id),
      key,
      request.opportunityId,
      hash,
      JSON.stringify(request),
      'created',
      this.#clock.now().toISOString(),
    );
    request.lines.forEach((line, index) =>
      this.#insertLine.run(
        id,
        index + 1,
        line.productCode,
        line.productName,
        line.quantity,
        line.unitPrice,
      ),
    );
    const created = this.#byKey.get(key);
    if (!created) throw new Error(`order for idempotency key ${key} vanished inside its insert`);
    return { kind: 'created', order: this.#toJson(created) };
  }

  #toJson(row: OrderRow): OrderJson {
    return {
      orderNumber: row.order_number,
      status: row.status,
      opportunityId: row.opportunity_id,
      createdAt: row.created_at,
      lines: this.#lines.all(row.id).map((line) => ({
        lineNumber: line.line_number,
        productCode: line.product_code,
        productName: line.product_name,
        quantity: line.quantity,
        unitPrice: line.unit_price,
      })),
    };
  }
}
