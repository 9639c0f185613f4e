import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** Schema versions, applied in order; `PRAGMA user_version` records how many ran. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE orders (
    -- Rows are never deleted, so the id doubles as the order-number sequence.
    id INTEGER PRIMARY KEY,
    order_number TEXT NOT NULL UNIQUE,
    idempotency_key TEXT NOT NULL UNIQUE,
    opportunity_id TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    request_json TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX orders_opportunity ON orders (opportunity_id, id);
  CREATE TABLE order_lines (
    order_id INTEGER NOT NULL REFERENCES orders (id),
    line_number INTEGER NOT NULL,
    product_code TEXT,
    product_name TEXT NOT NULL,
    quantity REAL NOT NULL,
    unit_price REAL NOT NULL,
    PRIMARY KEY (order_id, line_number)
  );
  `,
];

function isInMemory(path: string): boolean {
  return path === '' || path === ':memory:';
}

/**
 * Opens (creating if needed) the reference ERP's own database. WAL with synchronous=FULL: an
 * order the ERP has answered for must survive a power cut, or an idempotent retry could create
 * a second one.
 */
export function openErpDatabase(path: string): Database.Database {
  if (!isInMemory(path)) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: Database.Database): void {
  db.transaction(() => {
    const applied = Number(db.pragma('user_version', { simple: true }));
    for (const [index, sql] of MIGRATIONS.entries()) {
      if (index < applied) continue;
      db.exec(sql);
    }
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
}
