import { messageOf } from '../../shared/index.ts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ApiCounters } from '../api-counters.ts';
import type { ApiUsage } from '../api-usage.ts';
import type { SessionAuthority } from '../auth/session-authority.ts';
import { API_FAILURE_KINDS, type FaultInjector } from '../faults.ts';
import type { OutboundQueue, QueuedNotification } from '../outbound/outbound-queue.ts';
import type { OutboundSender } from '../outbound/outbound-sender.ts';
import type { VirtualClock } from '../virtual-clock.ts';
import type { OutboundDefinitions } from '../outbound/outbound-definitions.ts';

export interface ControlRoutesOptions {
  readonly clock: VirtualClock;
  readonly queue: OutboundQueue;
  readonly sender: OutboundSender;
  readonly faults: FaultInjector;
  readonly counters: ApiCounters;
  readonly usage: ApiUsage;
  readonly authority: SessionAuthority;
  readonly definitions: OutboundDefinitions;
  readonly organizationId: string;
  readonly instanceUrl: string;
}

const advanceBody = z
  .object({
    ms: z.number().int().min(0).optional(),
    seconds: z.number().min(0).optional(),
    hours: z.number().min(0).optional(),
  })
  .strict()
  .refine((b) => b.ms !== undefined || b.seconds !== undefined || b.hours !== undefined, {
    message: 'give ms, seconds or hours',
  });

const faultBody = z
  .object({
    kind: z.enum(['unavailable', 'invalid_session', 'unable_to_lock_row', 'latency']),
    count: z.number().int().min(1).max(1_000_000).default(1),
    latencyMs: z.number().int().min(0).max(120_000).default(0),
  })
  .strict();

const rateBody = z
  .object({
    rate: z.number().min(0).max(1),
    kinds: z
      .array(z.enum(API_FAILURE_KINDS))
      .min(1)
      .default([...API_FAILURE_KINDS]),
    seed: z.number().int().optional(),
  })
  .strict();

const deliveryBody = z
  .object({ duplicate: z.boolean().optional(), shuffle: z.boolean().optional() })
  .strict();
const limitsBody = z
  .object({
    dailyApiRequests: z.number().int().min(1).optional(),
    used: z.number().int().min(0).optional(),
  })
  .strict();
const definitionPatch = z.object({ endpointUrl: z.url({ protocol: /^https?$/ }) }).strict();

function describeQueued(item: QueuedNotification): Record<string, unknown> {
  return {
    id: item.id,
    definition: item.definition.name,
    object: item.definition.object,
    recordId: item.recordId,
    endpointUrl: item.definition.endpointUrl,
    createdAt: item.createdAt.toISOString(),
    attempts: item.attempts,
    nextAttemptAt: item.nextAttemptAt.toISOString(),
    lastAttemptAt: item.lastAttemptAt?.toISOString() ?? null,
    lastError: item.lastError,
    inFlight: item.inFlight,
  };
}

/** The emulator's own JSON API under `/emulator`: monitoring, clock, fault injection, counters. */
export async function controlRoutes(
  app: FastifyInstance,
  options: ControlRoutesOptions,
): Promise<void> {
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof z.ZodError) {
      return reply.code(400).send({
        error: 'invalid request',
        issues: error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`),
      });
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    return reply.code(status).send({ error: messageOf(error) });
  });
  statusRoutes(app, options);
  outboundRoutes(app, options);
  faultRoutes(app, options);
  counterRoutes(app, options);
}

/** Where the org stands, and its clock moved forward. */
function statusRoutes(app: FastifyInstance, options: ControlRoutesOptions): void {
  const { clock, queue, sender } = options;
  app.get('/emulator/status', async () => ({
    organizationId: options.organizationId,
    instanceUrl: options.instanceUrl,
    now: clock.now().toISOString(),
    clockOffsetMs: clock.offsetMs,
    outbound: { queued: queue.size, ...sender.stats },
  }));

  app.post('/emulator/clock/advance', async (request) => {
    const body = advanceBody.parse(request.body ?? {});
    const ms = (body.ms ?? 0) + (body.seconds ?? 0) * 1000 + (body.hours ?? 0) * 3_600_000;
    const now = clock.advance(ms);
    // Whatever the jump made due goes out before we answer, so a test can look right after.
    await sender.tick();
    return { now: now.toISOString(), clockOffsetMs: clock.offsetMs };
  });
}

/** The outbound queue, its delivery history and the definitions' endpoints. */
function outboundRoutes(app: FastifyInstance, options: ControlRoutesOptions): void {
  const { queue, sender, definitions } = options;

  app.get('/emulator/outbound', async () => ({
    queued: queue.list().map(describeQueued),
    dropped: queue.dropped().map((d) => ({ ...d, droppedAt: d.droppedAt.toISOString() })),
    deliveries: sender
      .history()
      .slice(-100)
      .map((d) => ({ ...d, at: d.at.toISOString() })),
    stats: sender.stats,
  }));

  app.post('/emulator/outbound/flush', async () => {
    await sender.tick();
    return { queued: queue.size, stats: sender.stats };
  });

  app.post<{ Params: { id: string } }>('/emulator/outbound/:id/retry', async (request, reply) => {
    if (!queue.retryNow(request.params.id))
      return reply.code(404).send({ error: `no queued notification ${request.params.id}` });
    await sender.tick();
    return { retried: request.params.id, stillQueued: queue.get(request.params.id) !== undefined };
  });

  app.delete<{ Params: { id: string } }>('/emulator/outbound/:id', async (request, reply) => {
    if (!queue.delete(request.params.id))
      return reply.code(404).send({ error: `no queued notification ${request.params.id}` });
    return reply.code(204).send();
  });

  app.get('/emulator/outbound-definitions', async () => ({ definitions: definitions.list() }));

  app.patch<{ Params: { name: string } }>(
    '/emulator/outbound-definitions/:name',
    async (request, reply) => {
      const patch = definitionPatch.parse(request.body ?? {});
      const updated = definitions.setEndpoint(request.params.name, patch.endpointUrl);
      if (!updated)
        return reply
          .code(404)
          .send({ error: `no outbound message definition ${request.params.name}` });
      return updated;
    },
  );
}

/** Faults injected into the API and the deliveries, and sessions expired at will. */
function faultRoutes(app: FastifyInstance, options: ControlRoutesOptions): void {
  const { faults, authority } = options;

  app.get('/emulator/faults', async () => faults.state());

  app.post('/emulator/faults', async (request) => {
    const body = faultBody.parse(request.body ?? {});
    faults.inject(body.kind, body.count, body.latencyMs);
    return faults.state();
  });

  app.put('/emulator/faults/rate', async (request) => {
    const body = rateBody.parse(request.body ?? {});
    faults.setRate(body.rate, body.kinds, body.seed);
    return faults.state();
  });

  app.put('/emulator/faults/delivery', async (request) => {
    const body = deliveryBody.parse(request.body ?? {});
    if (body.duplicate !== undefined) faults.duplicateDeliveries = body.duplicate;
    if (body.shuffle !== undefined) faults.shuffleDeliveries = body.shuffle;
    return faults.state();
  });

  app.post('/emulator/faults/expire-sessions', async () => {
    authority.expireAll();
    return { expired: true };
  });

  app.delete('/emulator/faults', async (_request, reply) => {
    faults.clear();
    return reply.code(204).send();
  });
}

/** API calls and record writes counted, and the daily API allowance. */
function counterRoutes(app: FastifyInstance, options: ControlRoutesOptions): void {
  const { counters, usage } = options;
  const apiUsage = () => ({ used: usage.used, max: usage.max, remaining: usage.remaining });

  app.get('/emulator/counters', async () => ({ ...counters.snapshot(), apiUsage: apiUsage() }));

  app.get('/emulator/limits', async () => apiUsage());

  app.put('/emulator/limits', async (request) => {
    const body = limitsBody.parse(request.body ?? {});
    if (body.dailyApiRequests !== undefined) usage.max = body.dailyApiRequests;
    if (body.used !== undefined) usage.setUsed(body.used);
    return apiUsage();
  });

  app.get<{ Params: { id: string } }>('/emulator/counters/records/:id', async (request) => ({
    recordId: request.params.id,
    ...counters.writesOf(request.params.id),
  }));

  app.delete('/emulator/counters', async (_request, reply) => {
    counters.reset();
    return reply.code(204).send();
  });
}
