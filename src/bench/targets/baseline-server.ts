import { fastify, type FastifyInstance } from 'fastify';
import { renderAck } from '../../soap/index.ts';

/**
 * The HTTP ceiling: a bare Fastify route on the same path that reads no body, parses nothing,
 * stores nothing and returns a canned Ack. Whatever the others lose against it is the price
 * of their work.
 */
export function buildBaselineServer(): FastifyInstance {
  const app = fastify({ logger: false, bodyLimit: 8 * 1024 * 1024 });
  const ack = renderAck();
  // Fastify knows no text/xml parser; this one hands the handler nothing and leaves the
  // body unread, which is the point of a ceiling.
  app.addContentTypeParser('text/xml', (_request, _payload, done) => done(null, undefined));
  // The start-up comparison waits for this, as it waits for the relay's.
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.post('/soap/outbound', async (_request, reply) =>
    reply.type('text/xml; charset=utf-8').send(ack),
  );
  return app;
}
