import { prepareNewerSessionId, type NewerSessionId } from './newer-session.ts';
import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { systemClock, type Clock } from '../../shared/index.ts';
import type { OutboundMessage } from '../../soap/index.ts';
import {
  checkClaimOptions,
  checkFailure,
  checkLeaseMs,
  checkReplayableState,
  listLimit,
} from '../check-arguments.ts';
import { InboxSchemaTooNewError, InboxUnavailableError } from '../errors.ts';
import type {
  ClaimedMessage,
  ClaimOptions,
  Failure,
  Inbox,
  InboxMessage,
  ListFilter,
  PurgeOptions,
  StateCounts,
  StoreOptions,
  StoreResult,
} from '../inbox.ts';
import type { ReplayableState } from '../state-machine.ts';
import { prepareClaim, type Claim } from './claim.ts';
import { prepareCountByState, type CountByState } from './count-by-state.ts';
import { prepareGet, type Get } from './get.ts';
import { prepareTouchHealth, type TouchHealth } from './health.ts';
import { prepareList, type List } from './list.ts';
import { migrateSqlite, readSqliteSchemaVersion, SQLITE_SCHEMA_VERSION } from './migrations.ts';
import { openSqliteDatabase } from './open-database.ts';
import { prepareTransitions, type SqliteTransitions } from './transitions.ts';
import { describeStore, GroupCommit } from '../group-commit.ts';
import { GroupedWrites } from './grouped-writes.ts';
import { prepareStoreMessages, type StoreMessages } from './store-message.ts';
import { closedError, toInboxError } from './unavailable.ts';

export interface SqliteInboxOptions {
  readonly clock?: Clock;
  /**
   * Open the file without write access (inspection, e.g. `sf-relay messages`): reads work,
   * every write rejects with `InboxUnavailableError` and `isWritable()` is false. The schema
   * must already be current, since a read-only inbox cannot migrate it.
   */
  readonly readonly?: boolean;
  /** How long a write waits for another process's lock before failing with SQLITE_BUSY. Default 5000. */
  readonly busyTimeoutMs?: number;
}

interface Statements {
  readonly storeMessages: StoreMessages;
  readonly claim: Claim;
  readonly transitions: SqliteTransitions;
  readonly get: Get;
  readonly list: List;
  readonly countByState: CountByState;
  readonly touchHealth: TouchHealth;
  readonly newerSessionId: NewerSessionId;
}

/**
 * The embedded inbox: one SQLite file in WAL mode. better-sqlite3 is synchronous; the methods
 * return promises to honour the `Inbox` contract, and every failure arrives as a rejection.
 */
export class SqliteInbox implements Inbox {
  /** The database file, as shown in error messages. */
  readonly location: string;
  readonly #db: Database.Database;
  readonly #clock: Clock;
  readonly #statements: Statements;
  readonly #groupCommit: GroupCommit;
  /** A batch's lease renewals and outcomes, one transaction per turn of the event loop. */
  readonly #leaseWrites: GroupedWrites;

  /** Takes an open database whose schema is current (see `openSqliteInbox`, `migrateSqlite`). */
  constructor(db: Database.Database, options: { clock?: Clock } = {}) {
    this.#db = db;
    this.#clock = options.clock ?? systemClock;
    this.location = db.memory ? db.name : resolve(db.name);
    this.#statements = {
      storeMessages: prepareStoreMessages(db),
      claim: prepareClaim(db),
      transitions: prepareTransitions(db),
      get: prepareGet(db),
      list: prepareList(db),
      countByState: prepareCountByState(db),
      touchHealth: prepareTouchHealth(db),
      newerSessionId: prepareNewerSessionId(db),
    };
    this.#leaseWrites = new GroupedWrites(db);
    const storeMessages = this.#statements.storeMessages;
    this.#groupCommit = new GroupCommit({
      commit: (group) => storeMessages(group, this.#clock.now()),
      toError: (error, group) =>
        toInboxError(error, describeStore(group.map((one) => one.message)), this.location),
    });
  }

  /** Runs one synchronous database step, reporting failures as typed errors. */
  #run<T>(operation: string, step: (statements: Statements, now: Date) => T): T {
    if (!this.#db.open) throw closedError(operation, this.location);
    try {
      return step(this.#statements, this.#clock.now());
    } catch (error) {
      throw toInboxError(error, operation, this.location);
    }
  }

  /** Like `#run`, committed with the other lease-guarded writes of this turn (`GroupedWrites`). */
  async #runGrouped<T>(
    operation: string,
    step: (statements: Statements, now: Date) => T,
  ): Promise<T> {
    if (!this.#db.open) throw closedError(operation, this.location);
    const now = this.#clock.now();
    try {
      return await this.#leaseWrites.run(() => step(this.#statements, now));
    } catch (error) {
      throw toInboxError(error, operation, this.location);
    }
  }

  /** Committed together with the other stores waiting at the same moment: see `GroupCommit`. */
  async store(message: OutboundMessage, options: StoreOptions = {}): Promise<StoreResult> {
    if (!this.#db.open) throw closedError(describeStore([message]), this.location);
    return this.#groupCommit.store({ message, options });
  }

  async claim(options: ClaimOptions): Promise<ClaimedMessage[]> {
    checkClaimOptions(options);
    return this.#run('claim messages', (s, now) => s.claim(options, now));
  }

  async renewLease(id: string, leaseToken: string, leaseMs: number): Promise<boolean> {
    checkLeaseMs(leaseMs);
    return this.#runGrouped(`renew the lease on ${id}`, (s, now) =>
      s.transitions.renew(id, leaseToken, leaseMs, now),
    );
  }

  async complete(id: string, leaseToken: string): Promise<boolean> {
    return this.#runGrouped(`complete ${id}`, (s, now) =>
      s.transitions.complete(id, leaseToken, now),
    );
  }

  async fail(id: string, leaseToken: string, failure: Failure): Promise<boolean> {
    checkFailure(failure);
    return this.#runGrouped(`record the failure of ${id}`, (s, now) =>
      s.transitions.fail(id, leaseToken, failure, now),
    );
  }

  async release(id: string, leaseToken: string): Promise<boolean> {
    return this.#runGrouped(`release ${id}`, (s, now) =>
      s.transitions.release(id, leaseToken, now),
    );
  }

  async replay(id: string): Promise<boolean> {
    return this.#run(`replay ${id}`, (s, now) => s.transitions.replay(id, now));
  }

  async replayAll(state: ReplayableState = 'dead'): Promise<number> {
    checkReplayableState(state);
    return this.#run(`replay ${state} messages`, (s, now) => s.transitions.replayAll(state, now));
  }

  async purge(options: PurgeOptions): Promise<number> {
    return this.#run('purge messages', (s) => s.transitions.purge(options));
  }

  async get(id: string): Promise<InboxMessage | null> {
    return this.#run(`read ${id}`, (s) => s.get(id));
  }

  async list(filter: ListFilter = {}): Promise<InboxMessage[]> {
    const limit = listLimit(filter.limit);
    return this.#run('list messages', (s) =>
      s.list({ state: filter.state, recordId: filter.recordId, limit }),
    );
  }

  async countByState(): Promise<StateCounts> {
    return this.#run('count messages', (s) => s.countByState());
  }

  async newerSessionId(organizationId: string, since: Date): Promise<string | null> {
    return this.#run('look for a newer session', (s) => s.newerSessionId(organizationId, since));
  }

  async isWritable(): Promise<boolean> {
    try {
      this.#run('check writability', (s, now) => s.touchHealth(now));
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (!this.#db.open) return;
    // Stores already accepted are committed (or rejected) before the file goes away.
    // A synchronous commit: every caller is settled when flush returns.
    void this.#groupCommit.flush();
    this.#leaseWrites.flush();
    this.#db.close();
  }
}

/**
 * Opens (creating the file and its directory if missing) and migrates an SQLite inbox.
 * Throws `InboxUnavailableError` when the file cannot be opened or migrated, and
 * `InboxSchemaTooNewError` when a newer sf-relay already migrated it.
 */
export function openSqliteInbox(path: string, options: SqliteInboxOptions = {}): SqliteInbox {
  const location = path === '' || path === ':memory:' ? path : resolve(path);
  const readonly = options.readonly ?? false;
  let db: Database.Database | undefined;
  try {
    db = openSqliteDatabase(path, { readonly, busyTimeoutMs: options.busyTimeoutMs });
    if (readonly) {
      const version = readSqliteSchemaVersion(db);
      if (version > SQLITE_SCHEMA_VERSION)
        throw new InboxSchemaTooNewError(location, version, SQLITE_SCHEMA_VERSION);
      if (version < SQLITE_SCHEMA_VERSION) {
        throw new InboxUnavailableError({
          operation: 'open read-only',
          location,
          reason: `schema version ${version} is older than ${SQLITE_SCHEMA_VERSION}; run \`sf-relay migrate\` first`,
        });
      }
    } else {
      migrateSqlite(db, { clock: options.clock });
    }
    return new SqliteInbox(db, { clock: options.clock });
  } catch (error) {
    db?.close();
    throw toInboxError(error, readonly ? 'open read-only' : 'open', location);
  }
}
