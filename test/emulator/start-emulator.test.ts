import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.ts';
import { StartedParts, startOrUndo } from '../../src/shared/index.ts';
import { startTestEmulator } from '../support/emulator.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';
import { waitFor } from '../support/wait-for.ts';

let dir: TempDir | undefined;
let blocker: Server | undefined;
afterEach(async () => {
  dir?.remove();
  dir = undefined;
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = undefined;
});

/** SQLite removes a WAL file's `-wal` companion when the last connection to it closes. */
const stillOpen = (dataFile: string): boolean => existsSync(`${dataFile}-wal`);

const listeningServers = (): number =>
  process.getActiveResourcesInfo().filter((resource) => resource === 'TCPServerWrap').length;

/** A closed server's handle is released on a later turn of the event loop, not at once. */
const noServerLeftBeyond = (count: number): Promise<boolean> =>
  waitFor(() => listeningServers() <= count, `at most ${count} TCP servers`, 5_000);

/** Binds the port itself: it can only when nothing else listens there. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host: '127.0.0.1', port }, () => probe.close(() => resolve(true)));
  });
}

function occupyPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    blocker = server;
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
}

describe('startEmulator when a step fails', () => {
  it('frees its port and closes its data file when the start is aborted after listening', async () => {
    dir = makeTempDir();
    const dataFile = dir.file('org.db');
    const before = listeningServers();
    const controller = new AbortController();
    let listeningOn: URL | undefined;
    // Fastify announces the address once the socket is bound: the moment to abort the start.
    const logger = pino(
      { level: 'info' },
      {
        write(line: string) {
          const { msg } = JSON.parse(line) as { msg?: string };
          const url = /^Server listening at (\S+)$/.exec(msg ?? '')?.[1];
          if (url === undefined) return;
          listeningOn = new URL(url);
          controller.abort(new Error('stopped by the test after listen'));
        },
      },
    );

    await expect(
      startEmulator({
        config: { port: 0, dataFile, outboundMessages: [] },
        logger,
        signal: controller.signal,
      }),
    ).rejects.toThrow('stopped by the test after listen');

    expect(listeningOn).toBeDefined();
    expect(await portIsFree(Number(listeningOn?.port))).toBe(true);
    await noServerLeftBeyond(before);
    expect(stillOpen(dataFile)).toBe(false);
  });

  it('closes its data file and leaves no server when its port is taken', async () => {
    dir = makeTempDir();
    const dataFile = dir.file('org.db');
    const port = await occupyPort();
    const before = listeningServers();

    await expect(startTestEmulator({ port, dataFile, outboundMessages: [] })).rejects.toMatchObject(
      { code: 'EADDRINUSE' },
    );

    await noServerLeftBeyond(before);
    expect(stillOpen(dataFile)).toBe(false);
    // The same file serves the next start.
    const emulator = await startTestEmulator({ dataFile, outboundMessages: [] });
    await emulator.close();
  });

  it('closes its data file when a connected app names a certificate that cannot be read', async () => {
    dir = makeTempDir();
    const dataFile = dir.file('org.db');

    await expect(
      startTestEmulator({
        dataFile,
        outboundMessages: [],
        connectedApps: [
          {
            name: 'jwt_app',
            clientId: 'jwt-app-client-id',
            clientSecret: 'jwt-app-client-secret',
            certificateFile: dir.file('missing.crt'),
          },
        ],
      }),
    ).rejects.toMatchObject({ code: 'ENOENT' });

    expect(stillOpen(dataFile)).toBe(false);
  });

  it('closes the emulator it started: port free, data file closed', async () => {
    dir = makeTempDir();
    const dataFile = dir.file('org.db');
    const emulator = await startTestEmulator({ dataFile, outboundMessages: [] });
    expect(stillOpen(dataFile)).toBe(true);

    await emulator.close();

    expect(await portIsFree(Number(new URL(emulator.url).port))).toBe(true);
    expect(stillOpen(dataFile)).toBe(false);
  });
});

describe('StartedParts', () => {
  it('stops every part newest first, even past one that fails, and reports the failure', async () => {
    const parts = new StartedParts();
    const stopped: string[] = [];
    parts.started(() => void stopped.push('file'));
    parts.started(() => {
      stopped.push('server');
      throw new Error('server would not close');
    });
    parts.started(() => void stopped.push('timer'));

    await expect(parts.stopAll()).rejects.toThrow('server would not close');
    expect(stopped).toEqual(['timer', 'server', 'file']);
  });

  it('passes on the start error, not a stop failure, when a start fails', async () => {
    const stopFailures: unknown[] = [];
    await expect(
      startOrUndo(
        (parts) => {
          parts.started(() => {
            throw new Error('cannot stop');
          });
          return Promise.reject(new Error('the start failed'));
        },
        (error) => stopFailures.push(error),
      ),
    ).rejects.toThrow('the start failed');
    expect(stopFailures).toMatchObject([{ message: 'cannot stop' }]);
  });
});
