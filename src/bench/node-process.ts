import { spawn, type ChildProcess } from 'node:child_process';
import { redactUrlCredentials } from '../config/index.ts';
import { awaitReadyUrl } from '../process/index.ts';

import { compiledModule } from '../process/index.ts';

export { REPO_ROOT, SF_RELAY_BIN } from '../process/index.ts';

/**
 * Node arguments that run one of our modules (`bench/load/autocannon-process`, relative to
 * src/) in a fresh process, wherever the cwd is. Always the compiled code, like the bin: tsx
 * is a development dependency, and a child must not pay TypeScript's start-up.
 */
export function moduleArgs(module: string, args: readonly string[]): string[] {
  return [compiledModule(module), ...args];
}

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** SIGTERM, then SIGKILL after a grace period; resolves once the process is gone. */
  stop(): Promise<void>;
}

/**
 * Starts a server process and waits for the JSON log line `{"event":readyEvent,"url":…}` on
 * its stdout. Output is drained (and kept, bounded, for the error message) so a chatty server
 * never blocks on a full pipe.
 */
export async function spawnServerProcess(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  readyEvent: string,
  timeoutMs = 30_000,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let head = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const keep = (chunk: Buffer): void => {
    if (head.length < 64_000) head += chunk.toString('utf8');
  };
  child.stderr?.on('data', keep);
  const ready = awaitReadyUrl(child, {
    readyEvent,
    timeoutMs,
    onStdout: keep,
    failure: (why) => new Error(`${describe(args)} ${why}:\n${head}`),
  });
  try {
    const found = await ready;
    return { url: found, pid: child.pid ?? -1, stop: () => stopChild(child, exited) };
  } catch (error) {
    await stopChild(child, exited);
    throw error;
  }
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** The command line for an error message, with any database password taken out. */
function describe(args: readonly string[]): string {
  return args
    .filter((arg) => !arg.startsWith('file:'))
    .map((arg) => (arg.includes('://') ? redactUrlCredentials(arg) : arg))
    .join(' ');
}
