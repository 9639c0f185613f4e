import { spawn, type ChildProcess } from 'node:child_process';
import { awaitReadyUrl } from '../../src/process/await-ready-url.ts';
import { SF_RELAY_BIN } from '../../src/process/sf-relay-bin.ts';

export const BIN = SF_RELAY_BIN;

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `sf-relay ARGS` as a real child process to completion (in `cwd`, default this one's). */
export function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 30_000,
  cwd?: string,
): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

export interface RelayProcess {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  /** Resolves with the exit code or signal once the process is gone. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
}

/** Starts `sf-relay start ARGS` and waits until it logs that it listens. */
export function spawnRelay(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<RelayProcess> {
  return spawnServer(['start', '--port', '0', ...args], env, 'relay.listening');
}

/** Starts a long-running `sf-relay` command and waits for its `{"event":readyEvent,"url":…}` log line. */
export async function spawnServer(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  readyEvent: string,
): Promise<RelayProcess> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => void (output += chunk.toString('utf8'));
  child.stderr?.on('data', keep);
  const exited = new Promise<number | NodeJS.Signals | null>((resolvePromise) =>
    child.on('exit', (code, signal) => resolvePromise(signal ?? code)),
  );
  const url = await awaitReadyUrl(child, {
    readyEvent,
    timeoutMs: 30_000,
    onStdout: keep,
    failure: (why) => new Error(`sf-relay ${args[0] ?? ''} ${why}:\n${output}`),
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw error;
  });
  return { child, url, output: () => output, exited };
}

/** Kills a relay process that is still running (test clean-up) and waits until it is gone. */
export async function killRelay(relay: RelayProcess | undefined): Promise<void> {
  if (!relay || relay.child.exitCode !== null || relay.child.signalCode !== null) return;
  relay.child.kill('SIGKILL');
  await relay.exited;
}
