import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import type { Readiness } from './readiness.ts';

export interface HealthRoutesOptions {
  readonly readiness: Readiness;
  /** Guards `/readyz` (the dashboard's credentials, when configured). `/healthz` stays open. */
  readonly guard?: onRequestAsyncHookHandler | undefined;
}

/**
 * `/healthz`: the process answers (no I/O, nothing to learn: open to any load balancer).
 * `/readyz`: the inbox can commit, so an Ack is possible; probed at most once a second.
 */
export async function healthRoutes(
  app: FastifyInstance,
  options: HealthRoutesOptions,
): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get(
    '/readyz',
    options.guard === undefined ? {} : { onRequest: options.guard },
    async (_request, reply) => {
      const writable = await options.readiness.check();
      return reply
        .code(writable ? 200 : 503)
        .send({ status: writable ? 'ready' : 'inbox not writable' });
    },
  );
}
