import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isMessageState, MESSAGE_STATES, type Inbox } from '../inbox/index.ts';
import { dashboardGuard, type DashboardCredentials } from './dashboard-auth.ts';
import { crossSiteRefusal, securityHeaders } from './security-headers.ts';
import { DASHBOARD_HTML } from './page.ts';
import type { Throughput } from './throughput.ts';

export interface DashboardOptions {
  readonly inbox: Inbox;
  readonly throughput: Throughput;
  readonly credentials: DashboardCredentials;
  /** How often /api/events pushes fresh stats. */
  readonly pushMs?: number;
  /** Event streams open at once; more get 503 (each holds a socket). */
  readonly maxEventStreams?: number;
}

const listQuery = z
  .object({
    state: z
      .string()
      .refine(isMessageState, { message: `must be one of ${MESSAGE_STATES.join(', ')}` })
      .optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
  })
  .strict();

/** The operator page and its JSON API; listings never carry a SessionId (the inbox omits it). */
export async function dashboardRoutes(
  app: FastifyInstance,
  options: DashboardOptions,
): Promise<void> {
  // Long on purpose: a flat list of small route registrations sharing the guard and the inbox, one per endpoint.
  const { inbox, throughput } = options;
  app.addHook('onRequest', securityHeaders);
  app.addHook('onRequest', dashboardGuard(options.credentials));

  const stats = async () => ({
    counts: await inbox.countByState(),
    throughput: throughput.series(),
    updatedAt: new Date().toISOString(),
  });

  app.get('/dashboard', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(DASHBOARD_HTML),
  );
  app.get('/api/stats', stats);

  app.get('/api/messages', async (request, reply) => {
    const query = listQuery.safeParse(request.query);
    if (!query.success) {
      return reply.code(400).send({
        error: 'invalid query',
        issues: query.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      });
    }
    const state =
      query.data.state !== undefined && isMessageState(query.data.state)
        ? query.data.state
        : undefined;
    return { messages: await inbox.list({ state, limit: query.data.limit }) };
  });

  app.post<{ Params: { id: string } }>('/api/messages/:id/replay', async (request, reply) => {
    const crossSite = crossSiteRefusal(request);
    if (crossSite !== undefined) {
      return reply
        .code(request.headers['content-type']?.startsWith('application/json') ? 403 : 415)
        .send({ error: crossSite });
    }
    if (await inbox.replay(request.params.id)) return { replayed: request.params.id };
    const message = await inbox.get(request.params.id);
    return message === null
      ? reply.code(404).send({ error: `no notification ${request.params.id}` })
      : reply.code(409).send({
          error: `${request.params.id} is ${message.state}; only dead or held notifications are replayed`,
        });
  });

  // One timer for every open stream: the stats are read once per tick, however many watch.
  const streams = new Set<ServerResponse>();
  const maxStreams = options.maxEventStreams ?? 16;
  let timer: NodeJS.Timeout | undefined;
  const broadcast = async (targets: Iterable<ServerResponse>): Promise<void> => {
    let frame: string;
    try {
      frame = `event: stats\ndata: ${JSON.stringify(await stats())}\n\n`;
    } catch {
      return; // The inbox is closing; the streams end with the server.
    }
    for (const stream of targets) if (!stream.writableEnded) stream.write(frame);
  };
  const stopTimerWhenIdle = (): void => {
    if (streams.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
  // Event streams never end by themselves; end them when the server closes so it can.
  app.addHook('onClose', async () => {
    for (const stream of streams) stream.end();
    streams.clear();
    stopTimerWhenIdle();
  });

  app.get('/api/events', async (_request, reply) => {
    if (streams.size >= maxStreams) {
      return reply
        .code(503)
        .header('retry-after', '10')
        .send({ error: `${maxStreams} event streams are open already; close one or retry later` });
    }
    reply.hijack();
    const raw = reply.raw;
    streams.add(raw);
    // Hijacked: the security headers set on the reply are copied to the raw response by hand.
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) raw.setHeader(name, value);
    }
    raw.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    raw.on('close', () => {
      streams.delete(raw);
      stopTimerWhenIdle();
    });
    await broadcast([raw]);
    if (streams.size > 0)
      timer ??= setInterval(() => void broadcast(streams), options.pushMs ?? 1000);
    return reply;
  });
}
