import { fastify, LogController, type FastifyBaseLogger, type FastifyError } from 'fastify';
import { systemClock, type Clock, createLogger, type Logger } from '../shared/index.ts';
import type { OrderJson } from '../erp/index.ts';
import { openErpDatabase } from './erp-database.ts';
import { ErpFaults } from './erp-faults.ts';
import { faultRoutes } from './fault-routes.ts';
import { orderRoutes } from './order-routes.ts';
import { OrderStore } from './order-store.ts';
import { PROBLEM_TYPES, sendProblem } from './problem.ts';

export interface StartErpOptions {
  /** Default 8090; 0 picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /**
   * The SQLite file holding the orders. Required, because an ERP that forgets its orders on
   * restart breaks the idempotency the relay relies on; `':memory:'` only where that is the point.
   */
  readonly dbPath: string;
  readonly logger?: Logger;
  readonly clock?: Clock;
}

export interface RunningErp {
  /** `http://127.0.0.1:PORT`, the base URL for `HttpErpAdapter`. */
  readonly url: string;
  /** The same settings the `/erp/faults` control API changes. */
  readonly faults: ErpFaults;
  /** Committed orders, oldest first, read straight from the database. */
  orders(filter?: { readonly opportunityId?: string }): OrderJson[];
  close(): Promise<void>;
}

/** Starts the reference ERP on loopback: idempotent order creation over its own SQLite file. */
export async function startErp(options: StartErpOptions): Promise<RunningErp> {
  const logger = options.logger ?? createLogger();
  const host = options.host ?? '127.0.0.1';
  const store = new OrderStore(openErpDatabase(options.dbPath), options.clock ?? systemClock);
  const faults = new ErpFaults();
  const closing = new AbortController();

  const app = fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
  });
  app.setErrorHandler<FastifyError>((error, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      logger.error({ event: 'erp.request.failed', err: error, url: request.url }, 'request failed');
      return sendProblem(reply, {
        type: PROBLEM_TYPES.internal,
        title: 'internal error',
        status: 500,
        detail: 'the ERP failed to handle the request; see its log',
      });
    }
    // Fastify's own refusals: malformed JSON, wrong content type, body too large.
    return sendProblem(reply, {
      type: PROBLEM_TYPES.invalidRequest,
      title: 'request refused',
      status,
      detail: error.message,
    });
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, {
      type: PROBLEM_TYPES.notFound,
      title: 'not found',
      status: 404,
      detail: `no route ${request.method} ${request.url.split('?')[0] ?? ''}`,
    }),
  );
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.register(orderRoutes, { store, faults, logger, closing: closing.signal });
  app.register(faultRoutes, { faults });

  try {
    await app.listen({ host, port: options.port ?? 8090 });
  } catch (error) {
    await app.close();
    store.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closed: Promise<void> | undefined;
  return {
    url,
    faults,
    orders: (filter = {}) => store.list(filter),
    close: () => {
      closed ??= (async () => {
        closing.abort();
        try {
          await app.close();
        } finally {
          store.close();
        }
      })();
      return closed;
    },
  };
}
