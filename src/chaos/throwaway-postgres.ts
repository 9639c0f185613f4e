import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SfRelayError } from '../shared/index.ts';

const run = promisify(execFile);

/** The chaos run could not make or drive its own PostgreSQL server. */
export class ThrowawayPostgresError extends SfRelayError {
  readonly code = 'CHAOS_POSTGRES_UNAVAILABLE';
}

/**
 * A PostgreSQL server of the run's own, in a folder of the run's own, on a free loopback port:
 * what `--db-restarts` restarts. Never a server that other tests or users share. initdb and
 * postgres refuse to run as root, so as root they run as the `postgres` user.
 */
export class ThrowawayPostgres {
  restarts = 0;

  private constructor(
    readonly url: string,
    private readonly dataDir: string,
    private readonly binDir: string,
    private readonly asUser: string | undefined,
  ) {}

  static async create(parentDir: string): Promise<ThrowawayPostgres> {
    const binDir = findPostgresBinaries();
    const asUser = process.getuid?.() === 0 ? 'postgres' : undefined;
    const dataDir = join(parentDir, 'postgres');
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    if (asUser !== undefined) {
      const { uid, gid } = await userIds(asUser);
      chownSync(parentDir, uid, gid);
      chownSync(dataDir, uid, gid);
    }
    const port = await freePort();
    const server = new ThrowawayPostgres(
      `postgres://postgres@127.0.0.1:${port}/postgres`,
      dataDir,
      binDir,
      asUser,
    );
    await server.#exec('initdb', [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '--no-sync',
      '-E',
      'UTF8',
    ]);
    await server.#start(port);
    return server;
  }

  /**
   * Stops the server as a crash would (`immediate`: no checkpoint, clients cut off) and starts
   * it again; committed transactions survive through the WAL, nothing else does.
   */
  async restart(downMs: number): Promise<void> {
    await this.#exec('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']);
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.#start(Number(new URL(this.url).port));
    this.restarts += 1;
  }

  async stop(): Promise<void> {
    await this.#exec('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']).catch(
      () => undefined,
    );
  }

  /**
   * `-l`: the server's output goes to a file in the data folder. Without it the server would
   * inherit pg_ctl's pipes, and pg_ctl's caller would wait for them to close — until the
   * server exits.
   */
  #start(port: number): Promise<void> {
    return this.#exec('pg_ctl', [
      '-D',
      this.dataDir,
      '-l',
      join(this.dataDir, 'server.log'),
      '-o',
      this.#serverOptions(port),
      '-w',
      'start',
    ]);
  }

  #serverOptions(port: number): string {
    // Its own socket folder: nothing of the machine's own server is touched or needed.
    return `-p ${port} -c listen_addresses=127.0.0.1 -k ${this.dataDir} -c fsync=on -c max_connections=200`;
  }

  async #exec(tool: string, args: readonly string[]): Promise<void> {
    const binary = join(this.binDir, tool);
    const [command, commandArgs] =
      this.asUser === undefined
        ? [binary, [...args]]
        : ['runuser', ['-u', this.asUser, '--', binary, ...args]];
    try {
      await run(command, commandArgs, { cwd: this.dataDir, timeout: 120_000 });
    } catch (error) {
      const detail =
        typeof error === 'object' && error !== null && 'stderr' in error
          ? String(error.stderr).trim().split('\n').slice(-3).join(' / ')
          : String(error);
      throw new ThrowawayPostgresError(`${tool} ${args.at(-1) ?? ''} failed: ${detail}`, {
        cause: error,
      });
    }
  }
}

/** initdb and pg_ctl: from PATH's PostgreSQL install, or Debian's /usr/lib/postgresql/N/bin. */
function findPostgresBinaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const version of versions) {
    const bin = join(root, version, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir !== '' && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')))
      return dir;
  }
  throw new ThrowawayPostgresError(
    '--db-restarts needs PostgreSQL server binaries (initdb, pg_ctl) to run a server of its own; install PostgreSQL (Debian: apt-get install postgresql) or leave --db-restarts at 0',
  );
}

async function userIds(user: string): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([
    run('id', ['-u', user]).then((result) => Number(result.stdout.trim())),
    run('id', ['-g', user]).then((result) => Number(result.stdout.trim())),
  ]).catch((error: unknown) => {
    throw new ThrowawayPostgresError(`there is no ${user} user to run PostgreSQL as`, {
      cause: error,
    });
  });
  return { uid, gid };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
