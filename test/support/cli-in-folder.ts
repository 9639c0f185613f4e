import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { awaitReadyUrl } from '../../src/process/await-ready-url.ts';
import { SF_RELAY_BIN } from '../../src/process/sf-relay-bin.ts';
import { runCli, type CliRun } from './relay-process.ts';

/** The environment without SFRELAY_* variables, as a newcomer's shell has it. */
function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // An undefined value removes the variable from the child's environment.
  const unset = Object.fromEntries(
    Object.keys(process.env)
      .filter((name) => name.startsWith('SFRELAY_'))
      .map((name) => [name, undefined]),
  );
  return { ...unset, ...extra };
}

/** Runs `sf-relay ARGS` to completion in `cwd`, as a user in that folder would. */
export function runCliIn(
  cwd: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 60_000,
): Promise<CliRun> {
  return runCli(args, cleanEnv(env), timeoutMs, cwd);
}

export interface DevProcess {
  readonly child: ChildProcess;
  /** The `dev.listening` line: urls, token, inbox. */
  readonly ready: {
    readonly url: string;
    readonly emulatorUrl: string;
    readonly erpUrl: string;
    readonly accessToken: string;
    readonly db: string;
    readonly dataDir: string;
  };
  output(): string;
  readonly exited: Promise<number | NodeJS.Signals | null>;
}

/** Starts `sf-relay dev ARGS` in `cwd` and waits for its ready line. */
export async function spawnDevIn(cwd: string, args: readonly string[]): Promise<DevProcess> {
  const child = spawn(process.execPath, [SF_RELAY_BIN, 'dev', ...args], {
    cwd,
    env: { ...process.env, ...cleanEnv({}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString('utf8')));
  const exited = new Promise<number | NodeJS.Signals | null>((resolvePromise) =>
    child.on('exit', (code, signal) => resolvePromise(signal ?? code)),
  );
  await awaitReadyUrl(child, {
    readyEvent: 'dev.listening',
    timeoutMs: 60_000,
    onStdout: (chunk) => void (stdout += chunk.toString('utf8')),
    failure: (why) => new Error(`sf-relay dev ${why}:\n${output}`),
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw error;
  });
  const line = stdout.split('\n').find((text) => text.includes('"dev.listening"')) ?? '{}';
  return { child, ready: JSON.parse(line) as DevProcess['ready'], output: () => output, exited };
}

/** Kills a process still running (test clean-up) and waits until it is gone. */
export async function killIfRunning(
  process: { child: ChildProcess; exited: Promise<unknown> } | undefined,
): Promise<void> {
  if (!process || process.child.exitCode !== null || process.child.signalCode !== null) return;
  process.child.kill('SIGKILL');
  await process.exited;
}

/** Whether something accepts TCP connections at `url`'s host and port. */
export function isListening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolvePromise) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolvePromise(true);
    });
    socket.once('error', () => resolvePromise(false));
  });
}
