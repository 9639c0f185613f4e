import type { FastifyInstance } from 'fastify';
import type { Inbox } from '../inbox/index.ts';

/** `/healthz`: the process answers. `/readyz`: the inbox can commit, so an Ack is possible. */
export async function healthRoutes(
  app: FastifyInstance,
  options: { readonly inbox: Inbox },
): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const writable = await options.inbox.isWritable();
    return reply
      .code(writable ? 200 : 503)
      .send({ status: writable ? 'ready' : 'inbox not writable' });
  });
}
