import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for.ts';

export const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/sf-relay.js');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `sf-relay ARGS` as a real child process to completion. */
export function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 30_000,
): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
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
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | NodeJS.Signals | null>((resolvePromise) =>
    child.on('exit', (code, signal) => resolvePromise(signal ?? code)),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const pattern = new RegExp(`"event":"${readyEvent.replace('.', '\\.')}","url":"([^"]+)"`);
  let url: string;
  try {
    url = await waitFor(
      () => {
        if (gone) throw new Error(`sf-relay ${args[0] ?? ''} exited before listening:\n${output}`);
        return pattern.exec(output)?.[1];
      },
      `sf-relay ${args[0] ?? ''} to listen`,
    );
  } catch (error) {
    // A server that never said it listens would otherwise outlive the test run.
    child.kill('SIGKILL');
    throw error;
  }
  return { child, url, output: () => output, exited };
}

/** Kills a relay process that is still running (test clean-up) and waits until it is gone. */
export async function killRelay(relay: RelayProcess | undefined): Promise<void> {
  if (!relay || relay.child.exitCode !== null || relay.child.signalCode !== null) return;
  relay.child.kill('SIGKILL');
  await relay.exited;
}
