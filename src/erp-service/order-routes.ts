import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Logger } from '../shared/index.ts';
import type { ErpFaults } from './erp-faults.ts';
import { parseIdempotencyKey } from './idempotency-key.ts';
import { orderRequestSchema } from './order-request-schema.ts';
import { OrderCommits } from './order-commits.ts';
import type { OrderStore } from './order-store.ts';
import { invalidRequest, issuesOf, PROBLEM_TYPES, sendProblem } from './problem.ts';

export interface OrderRoutesOptions {
  readonly store: OrderStore;
  readonly faults: ErpFaults;
  readonly logger: Logger;
  /** Aborted when the ERP closes, so injected latency does not hold the shutdown. */
  readonly closing: AbortSignal;
}

const listQuery = z
  .object({
    opportunityId: z.string().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(1000),
    /** Skips this many orders (oldest first), to page through more than `limit`. */
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

function unavailable(reply: FastifyReply, detail: string): FastifyReply {
  return sendProblem(reply.header('retry-after', '1'), {
    type: PROBLEM_TYPES.unavailable,
    title: 'ERP unavailable',
    status: 503,
    detail,
  });
}

/** `POST /orders` (idempotent by `Idempotency-Key`), `GET /orders/:number`, `GET /orders`. */
export async function orderRoutes(
  app: FastifyInstance,
  options: OrderRoutesOptions,
): Promise<void> {
  // Long on purpose: three route handlers sharing the store, the fault switches and the commit queue; each is short.
  const { store, faults, logger, closing } = options;
  const commits = new OrderCommits(store);

  app.post('/orders', async (request, reply) => {
    const holdMs = faults.latencyMs + faults.takeTimeout();
    if (holdMs > 0) {
      try {
        await sleep(holdMs, undefined, { signal: closing });
      } catch {
        return unavailable(reply, 'the ERP is shutting down');
      }
    }
    if (faults.takeFailure()) {
      logger.info({ event: 'erp.fault.injected', fault: 'error' }, 'answering 503 on purpose');
      return unavailable(reply, 'injected fault: the ERP failed on purpose');
    }

    const key = parseIdempotencyKey(request.headers['idempotency-key']);
    if (!key.ok) {
      return sendProblem(
        reply,
        invalidRequest('Idempotency-Key header is missing or invalid', key.errors),
      );
    }
    const body = orderRequestSchema.safeParse(request.body);
    if (!body.success) {
      return sendProblem(reply, invalidRequest('the order is invalid', issuesOf(body.error)));
    }

    const outcome = await commits.create(body.data, key.key);
    if (outcome.kind === 'conflict') {
      logger.warn(
        { event: 'erp.order.key_conflict', orderNumber: outcome.orderNumber },
        'idempotency key reused with a different body',
      );
      return sendProblem(reply, {
        type: PROBLEM_TYPES.idempotencyKeyReused,
        title: 'Idempotency-Key already used for a different order',
        status: 422,
        detail: `the key ${key.key} created ${outcome.orderNumber} from a different request body; use a new key for a new order`,
      });
    }
    const { order } = outcome;
    logger.info(
      {
        event: outcome.kind === 'created' ? 'erp.order.created' : 'erp.order.replayed',
        orderNumber: order.orderNumber,
        opportunityId: order.opportunityId,
      },
      outcome.kind === 'created' ? 'order created' : 'order replayed for a repeated key',
    );
    if (faults.takeDrop()) {
      // The order is committed; the client sees only a closed connection and cannot know that.
      logger.info({ event: 'erp.fault.injected', fault: 'drop' }, 'dropping the connection');
      reply.hijack();
      request.raw.socket.destroy();
      return reply;
    }
    return reply
      .code(outcome.kind === 'created' ? 201 : 200)
      .header('location', `/orders/${encodeURIComponent(order.orderNumber)}`)
      .send(order);
  });

  app.get<{ Params: { number: string } }>('/orders/:number', async (request, reply) => {
    const order = store.get(request.params.number);
    if (order) return order;
    return sendProblem(reply, {
      type: PROBLEM_TYPES.notFound,
      title: 'order not found',
      status: 404,
      detail: `no order numbered ${request.params.number}`,
    });
  });

  app.get('/orders', async (request, reply) => {
    const query = listQuery.safeParse(request.query);
    if (!query.success) {
      return sendProblem(reply, invalidRequest('invalid query', issuesOf(query.error, 'query')));
    }
    return { orders: store.list(query.data) };
  });
}
