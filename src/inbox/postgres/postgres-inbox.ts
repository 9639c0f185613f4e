import pg from 'pg';
import type { Clock } from '../../shared/index.ts';
import type { OutboundMessage } from '../../soap/index.ts';
import {
  checkClaimOptions,
  checkFailure,
  checkLeaseMs,
  checkReplayableState,
  listLimit,
} from '../check-arguments.ts';
import { InboxSchemaTooNewError, InboxUnavailableError } from '../errors.ts';
import {
  describeStore,
  GroupCommit,
  type MessageOutcome,
  type PendingStore,
} from '../group-commit.ts';
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
import { arrivalChannel, ArrivalListener } from './arrival-channel.ts';
import { claimMessages } from './claim.ts';
import type { PostgresLocation } from './location.ts';
import {
  migratePostgres,
  POSTGRES_SCHEMA_VERSION,
  readPostgresSchemaVersion,
  type PostgresMigrationResult,
} from './migrations.ts';
import { countByState, getMessage, listMessages, newerSessionId } from './reads.ts';
import { storeOneByOne, storeTogether } from './store-message.ts';
import { isConnectionLost, isTransient, toPostgresInboxError } from './to-inbox-error.ts';
import * as transitions from './transitions.ts';

export interface PostgresInboxOptions {
  /**
   * Drive every timestamp from this clock instead of the database server's (tests that move
   * time). Left unset in production: leases are then judged by the one clock every process
   * shares, so a process with a skewed clock can neither steal a live lease nor keep a dead one.
   */
  readonly clock?: Clock;
  /** Inspect only: every transaction is read-only and the schema must already be current. */
  readonly readonly?: boolean;
  /** Create or upgrade the schema on open (default true); when false an old schema is an error. */
  readonly migrate?: boolean;
}

/**
 * Claims in one schema take turns (a transaction-scoped advisory lock, namespace 'sfrc').
 * Row locks alone let two claimers pick two messages of one record: seq is assigned at insert,
 * not at commit, so a message that sorts earlier can become visible after a later one was
 * claimed by a claimer whose snapshot did not yet include it. Taking turns means every claim
 * starts after the previous one committed, and sees its leases. Claims are one short statement.
 */
const CLAIM_LOCK = `SELECT pg_advisory_xact_lock(${0x73667263}, hashtext(current_schema()))`;

/** Deadlocks between two redeliveries of overlapping messages resolve on a rerun. */
const TRANSIENT_ATTEMPTS = 3;
const CONNECT_TIMEOUT_MS = 5000;

function clientConfig(location: PostgresLocation, readonly: boolean): pg.ClientConfig {
  const settings = [
    ...(location.schema === null ? [] : [`-c search_path=${location.schema}`]),
    // A crashed client must not hold row locks (or a claim's advisory lock) for ever.
    '-c idle_in_transaction_session_timeout=60000',
    // An Ack promises the message is on disk: never inherit a server or role default of off.
    '-c synchronous_commit=on',
    ...(readonly ? ['-c default_transaction_read_only=on'] : []),
  ];
  return {
    connectionString: location.connectionString,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // A half-open connection (a server that vanished without a FIN) is found and dropped.
    keepAlive: true,
    application_name: 'sf-relay',
    ...(settings.length === 0 ? {} : { options: settings.join(' ') }),
  };
}

/**
 * The shared inbox: many listeners and workers, on many machines, on one PostgreSQL database.
 * Each method is one transaction on a pooled connection; `store` resolves after COMMIT, which
 * with `synchronous_commit = on` (set on every connection) means the WAL is flushed. Stores
 * that arrive together share that transaction (see `GroupCommit`).
 */
export class PostgresInbox implements Inbox {
  /** The database URL without its password, as shown in error messages. */
  readonly location: string;
  readonly #pool: pg.Pool;
  readonly #clock: Clock | undefined;
  readonly #channel: string;
  readonly #arrivals: ArrivalListener;
  readonly #groupCommit: GroupCommit;
  /** Set when close() starts: no new store is taken, the ones accepted still commit. */
  #closing: Promise<void> | null = null;
  #closed = false;

  constructor(
    pool: pg.Pool,
    location: PostgresLocation,
    config: pg.ClientConfig,
    clock: Clock | undefined,
  ) {
    this.#pool = pool;
    this.location = location.display;
    this.#clock = clock;
    this.#channel = arrivalChannel(location.schema);
    this.#arrivals = new ArrivalListener(config, this.#channel);
    this.#groupCommit = new GroupCommit({
      commit: (group) => this.#storeGroup(group),
      // Errors were typed by #run already; this is the same error for every caller.
      toError: (error) => error,
      // Half the pool: while those commits wait on the WAL flush, arrivals pile up into the
      // next group, and the other half of the pool stays free for claims and transitions.
      maxInFlight: Math.max(1, Math.floor(location.poolSize / 2)),
      // At 100 notifications a message the rows, not the WAL flush, are the cost: groups of
      // about ten such messages still share a flush, and several of them run side by side.
      maxNotifications: 1000,
    });
  }

  /** One unit of work on its own pooled connection, failures reported as typed errors. */
  async #run<T>(
    operation: string,
    step: (client: pg.PoolClient, now: number | null) => Promise<T>,
  ): Promise<T> {
    if (this.#closed)
      throw new InboxUnavailableError({
        operation,
        location: this.location,
        reason: 'the inbox has been closed',
      });
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw toPostgresInboxError(error, operation, this.location);
    }
    // pg-pool stops listening for a checked-out client's errors; a server restart would then
    // crash the process with an unhandled 'error' event. The failing query reports the cause.
    const ignore = (): void => undefined;
    client.on('error', ignore);
    let broken = false;
    try {
      return await step(client, this.#clock?.now().getTime() ?? null);
    } catch (error) {
      // A connection that failed mid-query may be unusable: do not hand it to the next caller.
      broken = isConnectionLost(error);
      throw toPostgresInboxError(error, operation, this.location);
    } finally {
      client.off('error', ignore);
      client.release(broken);
    }
  }

  /** `#run` inside BEGIN … COMMIT, rerun on deadlock or serialization failure. */
  async #transaction<T>(
    operation: string,
    step: (client: pg.PoolClient, now: number | null) => Promise<T>,
  ): Promise<T> {
    return this.#rerunTransient(() =>
      this.#run(operation, async (client, now) => {
        await client.query('BEGIN');
        try {
          const result = await step(client, now);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          // On a lost connection the server has rolled back already; asking again would fail.
          if (!isConnectionLost(error)) await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),
    );
  }

  /** Reruns work that failed on a deadlock or serialization failure (nothing of it was kept). */
  async #rerunTransient<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await work();
      } catch (error) {
        const cause = error instanceof InboxUnavailableError ? error.cause : error;
        if (attempt >= TRANSIENT_ATTEMPTS || !isTransient(cause)) throw error;
      }
    }
  }

  /** Committed together with the other stores waiting at the same moment: see `GroupCommit`. */
  async store(message: OutboundMessage, options: StoreOptions = {}): Promise<StoreResult> {
    if (this.#closing !== null)
      throw new InboxUnavailableError({
        operation: describeStore([message]),
        location: this.location,
        reason: 'the inbox has been closed',
      });
    return this.#groupCommit.store({ message, options });
  }

  /**
   * One statement for the whole group (its own transaction); when a message conflicts with a
   * stored row, the group again inside one transaction with a savepoint per message.
   */
  async #storeGroup(group: readonly PendingStore[]): Promise<MessageOutcome[]> {
    const operation = describeStore(group.map((one) => one.message));
    const together = await this.#rerunTransient(() =>
      this.#run(operation, (client, now) => storeTogether(client, group, now, this.#channel)),
    );
    if (together !== null) return together;
    return this.#transaction(operation, (client, now) =>
      storeOneByOne(client, group, now, this.#channel),
    );
  }

  async claim(options: ClaimOptions): Promise<ClaimedMessage[]> {
    checkClaimOptions(options);
    if (options.limit === 0) return [];
    return this.#transaction('claim messages', async (client, now) => {
      await client.query(CLAIM_LOCK);
      return claimMessages(client, options, now);
    });
  }

  async renewLease(id: string, leaseToken: string, leaseMs: number): Promise<boolean> {
    checkLeaseMs(leaseMs);
    return this.#run(`renew the lease on ${id}`, (client, now) =>
      transitions.renew(client, id, leaseToken, leaseMs, now),
    );
  }

  async complete(id: string, leaseToken: string): Promise<boolean> {
    return this.#run(`complete ${id}`, (client, now) =>
      transitions.complete(client, id, leaseToken, now),
    );
  }

  async fail(id: string, leaseToken: string, failure: Failure): Promise<boolean> {
    checkFailure(failure);
    return this.#run(`record the failure of ${id}`, (client, now) =>
      transitions.fail(client, id, leaseToken, failure, now),
    );
  }

  async release(id: string, leaseToken: string): Promise<boolean> {
    return this.#run(`release ${id}`, (client, now) =>
      transitions.release(client, id, leaseToken, now),
    );
  }

  async replay(id: string): Promise<boolean> {
    return this.#run(`replay ${id}`, (client, now) => transitions.replay(client, id, now));
  }

  async replayAll(state: ReplayableState = 'dead'): Promise<number> {
    checkReplayableState(state);
    return this.#run(`replay ${state} messages`, (client, now) =>
      transitions.replayAll(client, state, now),
    );
  }

  async purge(options: PurgeOptions): Promise<number> {
    return this.#run('purge messages', (client) => transitions.purge(client, options));
  }

  async get(id: string): Promise<InboxMessage | null> {
    return this.#run(`read ${id}`, (client) => getMessage(client, id));
  }

  async list(filter: ListFilter = {}): Promise<InboxMessage[]> {
    const limit = listLimit(filter.limit);
    return this.#run('list messages', (client) =>
      listMessages(client, { state: filter.state, recordId: filter.recordId, limit }),
    );
  }

  async countByState(): Promise<StateCounts> {
    return this.#run('count messages', (client) => countByState(client));
  }

  async newerSessionId(organizationId: string, since: Date): Promise<string | null> {
    return this.#run('look for a newer session', (client) =>
      newerSessionId(client, organizationId, since),
    );
  }

  watchArrivals(onArrival: () => void): () => void {
    return this.#arrivals.subscribe(onArrival);
  }

  async isWritable(): Promise<boolean> {
    try {
      await this.#run('check writability', (client, now) => transitions.touchHealth(client, now));
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  async #shutDown(): Promise<void> {
    // Stores already accepted are committed (or rejected) before the pool goes away.
    await this.#groupCommit.flush();
    this.#closed = true;
    await this.#arrivals.close();
    await this.#pool.end();
  }
}

function newPool(location: PostgresLocation, config: pg.ClientConfig): pg.Pool {
  // A query that hangs (a network partition) fails after a minute instead of holding a slot.
  const pool = new pg.Pool({ ...config, max: location.poolSize, query_timeout: 60_000 });
  // An idle connection the server dropped: the pool discards it, and the next query reports
  // the cause. Without a listener Node would crash the process on this event.
  pool.on('error', () => undefined);
  return pool;
}

/** `sf-relay migrate` for PostgreSQL: creates the schema (and the SQL schema, if named) or upgrades it. */
export async function migratePostgresInbox(
  location: PostgresLocation,
  options: { clock?: Clock } = {},
): Promise<PostgresMigrationResult> {
  const client = new pg.Client(clientConfig(location, false));
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await migratePostgres(client, {
      schema: location.schema,
      location: location.display,
      clock: options.clock,
    });
  } catch (error) {
    throw toPostgresInboxError(error, 'migrate', location.display);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Connects, then migrates (unless told not to) or checks the schema version. Throws
 * `InboxUnavailableError` when the server cannot be reached or refuses us, and
 * `InboxSchemaTooNewError` when a newer sf-relay migrated the database.
 */
export async function openPostgresInbox(
  location: PostgresLocation,
  options: PostgresInboxOptions = {},
): Promise<PostgresInbox> {
  const readonly = options.readonly ?? false;
  const { clock } = options;
  const operation = readonly ? 'open read-only' : 'open';
  if (!readonly && (options.migrate ?? true)) await migratePostgresInbox(location, { clock });
  const config = clientConfig(location, readonly);
  const pool = newPool(location, config);
  try {
    const version = await readPostgresSchemaVersion(pool);
    if (version > POSTGRES_SCHEMA_VERSION)
      throw new InboxSchemaTooNewError(location.display, version, POSTGRES_SCHEMA_VERSION);
    if (version < POSTGRES_SCHEMA_VERSION) {
      throw new InboxUnavailableError({
        operation,
        location: location.display,
        reason: `schema version ${version} is older than ${POSTGRES_SCHEMA_VERSION}; run \`sf-relay migrate --db URL\` first`,
      });
    }
    return new PostgresInbox(pool, location, config, clock);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw toPostgresInboxError(error, operation, location.display);
  }
}
