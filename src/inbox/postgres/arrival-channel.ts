import pg from 'pg';

/** One channel per schema, so inboxes sharing a database do not wake each other's workers. */
export function arrivalChannel(schema: string | null): string {
  return schema === null ? 'sf_relay_inbox' : `sf_relay_inbox_${schema}`;
}

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;

/**
 * A dedicated connection LISTENing for "new work" notifications (sent by `store` in the same
 * transaction as the insert, so they arrive only after the commit). It is only a wake-up call:
 * a worker that misses one (the connection dropped, the server restarted) still finds the
 * work at its next poll, so failures here are retried quietly rather than reported.
 */
export class ArrivalListener {
  readonly #config: pg.ClientConfig;
  readonly #channel: string;
  readonly #subscribers = new Set<() => void>();
  #client: pg.Client | undefined;
  #closed = false;
  #retryMs = RECONNECT_MIN_MS;
  #timer: NodeJS.Timeout | undefined;

  constructor(config: pg.ClientConfig, channel: string) {
    this.#config = config;
    this.#channel = channel;
  }

  subscribe(onArrival: () => void): () => void {
    this.#subscribers.add(onArrival);
    if (this.#client === undefined && this.#timer === undefined) void this.#connect();
    return () => this.#subscribers.delete(onArrival);
  }

  async #connect(): Promise<void> {
    this.#timer = undefined;
    if (this.#closed) return;
    const client = new pg.Client(this.#config);
    this.#client = client;
    client.on('notification', () => {
      for (const subscriber of this.#subscribers) subscriber();
    });
    client.on('error', () => this.#reconnect(client));
    client.on('end', () => this.#reconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN "${this.#channel}"`);
      this.#retryMs = RECONNECT_MIN_MS;
      // Anything stored while we were not listening: let the subscribers look now.
      for (const subscriber of this.#subscribers) subscriber();
    } catch {
      this.#reconnect(client);
    }
  }

  #reconnect(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    client.end().catch(() => undefined);
    if (this.#closed) return;
    this.#timer = setTimeout(() => void this.#connect(), this.#retryMs);
    this.#timer.unref();
    this.#retryMs = Math.min(this.#retryMs * 2, RECONNECT_MAX_MS);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    const client = this.#client;
    this.#client = undefined;
    this.#subscribers.clear();
    await client?.end().catch(() => undefined);
  }
}
