import { spawn } from 'node:child_process';
import { moduleArgs } from '../node-process.ts';
import { autocannonResultSchema, type LoadSpec } from './load-spec.ts';

const LOAD_PROCESS = 'bench/load/autocannon-process';

/** One closed-loop load run, as the benchmark reports it. */
export interface LoadResult {
  /** Messages acknowledged with a 2xx answer. */
  readonly messages: number;
  readonly seconds: number;
  readonly messagesPerSec: number;
  readonly notificationsPerSec: number;
  readonly ackP50Ms: number;
  readonly ackP99Ms: number;
  /** Non-2xx answers, connection errors and timeouts: a healthy run has none. */
  readonly failures: number;
}

export class LoadGeneratorError extends Error {
  readonly code = 'BENCH_LOAD_FAILED';
}

/**
 * Runs autocannon in a child process against `spec.url` and reads its result object. The
 * child is a separate process on purpose: in the server's process it would steal the event
 * loop it is measuring.
 */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const child = spawn(process.execPath, moduleArgs(LOAD_PROCESS, [JSON.stringify(spec)]), {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 16_000) stderr += chunk.toString('utf8');
  });
  const code = await new Promise<number | null>((done, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode) => done(exitCode));
  });
  if (code !== 0)
    throw new LoadGeneratorError(`the load generator exited with ${code}:\n${stderr.trim()}`);
  const line = stdout.trim().split('\n').pop() ?? '';
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw new LoadGeneratorError(
      `the load generator printed no JSON result:\n${stdout.slice(0, 2000)}`,
    );
  }
  const parsed = autocannonResultSchema.safeParse(json);
  if (!parsed.success)
    throw new LoadGeneratorError(`unexpected load-generator result: ${parsed.error.message}`);
  const result = parsed.data;
  const messagesPerSec = result['2xx'] / result.duration;
  return {
    messages: result['2xx'],
    seconds: result.duration,
    messagesPerSec: round(messagesPerSec),
    notificationsPerSec: round(messagesPerSec * spec.batch),
    ackP50Ms: result.latency.p50,
    ackP99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

const round = (value: number): number => Math.round(value * 10) / 10;
