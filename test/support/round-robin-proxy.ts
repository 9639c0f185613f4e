import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxy {
  readonly url: string;
  /** Requests each upstream answered, by upstream URL. */
  readonly answered: Map<string, number>;
  close(): Promise<void>;
}

/**
 * The load balancer in front of several listeners: requests go round-robin, and a request an
 * upstream refuses at connect time goes to the next one (nginx's `proxy_next_upstream error`),
 * so a restarting listener costs retries, not failures. When every upstream refuses: 502.
 */
export async function startRoundRobinProxy(upstreams: readonly string[]): Promise<RoundRobinProxy> {
  let next = 0;
  const answered = new Map<string, number>(upstreams.map((u) => [u, 0]));

  function forward(
    body: Buffer,
    incoming: IncomingMessage,
    reply: ServerResponse,
    tries: number,
  ): void {
    const upstream = upstreams[next % upstreams.length] ?? '';
    next += 1;
    const outgoing = request(
      new URL(incoming.url ?? '/', upstream),
      { method: incoming.method, headers: incoming.headers },
      (response) => {
        answered.set(upstream, (answered.get(upstream) ?? 0) + 1);
        reply.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(reply);
      },
    );
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED' && tries + 1 < upstreams.length * 3) {
        forward(body, incoming, reply, tries + 1);
      } else if (!reply.headersSent) {
        reply.writeHead(502).end(`upstream failed: ${error.message}`);
      } else {
        reply.destroy();
      }
    });
    outgoing.end(body);
  }

  const server = createServer((incoming, reply) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => forward(Buffer.concat(chunks), incoming, reply, 0));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answered,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
