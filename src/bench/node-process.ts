import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactUrlCredentials } from '../config/index.ts';

/** The repository root (src/bench → ../..). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SF_RELAY_BIN = resolve(REPO_ROOT, 'bin/sf-relay.js');

/** Node arguments that run a TypeScript file of ours in a fresh process, wherever the cwd is. */
export function tsxArgs(file: string, args: readonly string[]): string[] {
  return ['--import', import.meta.resolve('tsx'), file, ...args];
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
  let url: string | undefined;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const keep = (chunk: Buffer): void => {
    if (head.length < 64_000) head += chunk.toString('utf8');
  };
  child.stderr?.on('data', keep);
  const ready = new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${describe(args)} did not start within ${timeoutMs} ms:\n${head}`)),
      timeoutMs,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      keep(chunk);
      if (url !== undefined) return;
      url = findReadyUrl(head, readyEvent);
      if (url !== undefined) {
        clearTimeout(timer);
        resolveUrl(url);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${describe(args)} exited (${signal ?? code}) before listening:\n${head}`));
    });
    child.once('error', reject);
  });
  try {
    const found = await ready;
    return { url: found, pid: child.pid ?? -1, stop: () => stopChild(child, exited) };
  } catch (error) {
    await stopChild(child, exited);
    throw error;
  }
}

function findReadyUrl(output: string, readyEvent: string): string | undefined {
  for (const line of output.split('\n')) {
    if (!line.includes(readyEvent)) continue;
    try {
      const parsed: unknown = JSON.parse(line);
      if (
        typeof parsed === 'object' &&
        parsed !== null &&
        'event' in parsed &&
        parsed.event === readyEvent &&
        'url' in parsed &&
        typeof parsed.url === 'string'
      )
        return parsed.url;
    } catch {
      // A partial line; the rest arrives with the next chunk.
    }
  }
  return undefined;
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
