import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KeepAliveClient, MAX_REPLY_BYTES, ReplyTooLargeError } from '../../src/shared/index.ts';

/**
 * A raw TCP server, so each test decides exactly what a connection does: `answer(socket, n)`
 * is called for the n-th request (counted over all connections) once its head has arrived.
 */
async function rawServer(
  answer: (socket: Socket, request: number) => void,
): Promise<{ url: URL; connections: () => number; server: Server }> {
  let connections = 0;
  let requests = 0;
  const server = createServer((socket) => {
    connections += 1;
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      // Bodies in these tests are short and arrive with the head.
      while (buffered.includes('\r\n\r\n')) {
        const end = buffered.indexOf('\r\n\r\n') + 4;
        const length = Number(/content-length: (\d+)/i.exec(buffered.slice(0, end))?.[1] ?? 0);
        buffered = buffered.slice(end + length);
        requests += 1;
        answer(socket, requests);
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  servers.push(server);
  return {
    url: new URL(`http://127.0.0.1:${address.port}/orders`),
    connections: () => connections,
    server,
  };
}

function reply(socket: Socket, body: string, status = 200): void {
  socket.write(
    `HTTP/1.1 ${status} OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: keep-alive\r\n\r\n${body}`,
  );
}

const servers: Server[] = [];
const clients: KeepAliveClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(
    servers.splice(0).map((server) => {
      server.close();
      return new Promise((resolve) => setTimeout(resolve, 0));
    }),
  );
});

function newClient(): KeepAliveClient {
  const client = new KeepAliveClient();
  clients.push(client);
  return client;
}

const post = (signal = AbortSignal.timeout(5_000)) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: '{"a":1}',
  signal,
});

describe('KeepAliveClient', () => {
  it('sends one request after another over one kept-alive connection', async () => {
    const { url, connections } = await rawServer((socket, n) => reply(socket, `{"n":${n}}`, 201));
    const client = newClient();
    expect(await client.exchange(url, post())).toEqual({ status: 201, text: '{"n":1}' });
    expect(await client.exchange(url, post())).toEqual({ status: 201, text: '{"n":2}' });
    expect(connections()).toBe(1);
  });

  it('sends again on a fresh connection when a reused one is reset before any reply', async () => {
    const { url, connections } = await rawServer((socket, n) => {
      // The second request arrives on the kept-alive connection: the server had closed it.
      if (n === 2) socket.resetAndDestroy();
      else reply(socket, `{"n":${n}}`);
    });
    const client = newClient();
    await client.exchange(url, post());
    expect(await client.exchange(url, post())).toEqual({ status: 200, text: '{"n":3}' });
    expect(connections()).toBe(2);
  });

  it('does not send again when a fresh connection is reset: the server may have acted', async () => {
    const { url } = await rawServer((socket) => socket.resetAndDestroy());
    await expect(newClient().exchange(url, post())).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('rejects a reply cut off mid-body with ECONNRESET', async () => {
    const { url } = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"partial":');
      setTimeout(() => socket.destroy(), 20);
    });
    await expect(newClient().exchange(url, post())).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('does not send again when a reused connection breaks mid-reply: the server has acted', async () => {
    const { url, connections } = await rawServer((socket, n) => {
      if (n === 1) return reply(socket, '{}');
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"partial":');
      setTimeout(() => socket.destroy(), 20);
    });
    const client = newClient();
    await client.exchange(url, post());
    await expect(client.exchange(url, post())).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(connections()).toBe(1);
  });

  it('refuses to read a reply larger than MAX_REPLY_BYTES', async () => {
    const { url } = await rawServer((socket) => reply(socket, 'x'.repeat(MAX_REPLY_BYTES + 1)));
    await expect(newClient().exchange(url, post())).rejects.toBeInstanceOf(ReplyTooLargeError);
  });

  it("rejects with the signal's reason when it fires, before or during the exchange", async () => {
    const { url } = await rawServer(() => undefined); // never answers
    const client = newClient();
    const before = AbortSignal.abort(new Error('lease lost'));
    await expect(client.exchange(url, post(before))).rejects.toThrow('lease lost');
    const timeout = AbortSignal.timeout(100);
    await expect(client.exchange(url, post(timeout))).rejects.toMatchObject({
      name: 'TimeoutError',
    });
  });
});
