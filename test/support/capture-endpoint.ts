import { fastify } from 'fastify';
import {
  parseOutboundMessage,
  renderAck,
  renderFault,
  type OutboundMessage,
} from '../../src/soap/index.ts';

export type Reply = 'ack' | 'nack' | 'fault' | 'http503';

export interface CapturedDelivery {
  readonly message: OutboundMessage;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly replied: Reply;
}

export interface CaptureEndpoint {
  readonly url: string;
  readonly deliveries: CapturedDelivery[];
  close(): Promise<void>;
}

/**
 * A receiver that records every outbound message (parsed with our own parser) and answers as
 * `behaviour(n)` says for the n-th delivery (0-based).
 */
export async function startCaptureEndpoint(
  behaviour: (n: number) => Reply = () => 'ack',
): Promise<CaptureEndpoint> {
  const app = fastify();
  const deliveries: CapturedDelivery[] = [];
  app.addContentTypeParser('text/xml', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
  app.post('/soap/outbound', async (request, reply) => {
    const replied = behaviour(deliveries.length);
    deliveries.push({
      message: parseOutboundMessage(String(request.body)),
      headers: request.headers,
      replied,
    });
    reply.type('text/xml; charset=utf-8');
    if (replied === 'ack') return reply.send(renderAck());
    if (replied === 'nack') return reply.send(renderAck(false));
    if (replied === 'http503') return reply.code(503).send('busy');
    return reply.code(500).send(
      renderFault({
        faultCode: 'Server',
        faultString: 'receiver is down',
        errorCode: 'TEST_DOWN',
      }),
    );
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/soap/outbound`, deliveries, close: () => app.close() };
}
