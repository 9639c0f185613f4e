import type { StartupResult } from '../report.ts';
import { rssMb } from '../targets/rss.ts';
import {
  startComparisonTarget,
  startSqliteRelayTarget,
  type RunningTarget,
} from '../targets/targets.ts';

export interface StartupOptions {
  /** Spawns of each target, alternating, so load on the machine falls on both alike. */
  readonly rounds: number;
  readonly progress: (line: string) => void;
}

/** The health probe is polled this often; it bounds the resolution of the figure. */
const PROBE_INTERVAL_MS = 5;
const PROBE_DEADLINE_MS = 60_000;

/**
 * Start-up: from spawning a process to its first `/healthz` 200, for `sf-relay start --role
 * listener` (SQLite) and for a bare Fastify process, in turns; the median of each. The RSS
 * read at that moment is the idle figure: nothing has been sent yet.
 */
export async function runStartupScenario(options: StartupOptions): Promise<StartupResult[]> {
  const relay: Sample[] = [];
  const baseline: Sample[] = [];
  for (let round = 0; round < options.rounds; round++) {
    options.progress(`start-up: round ${round + 1} of ${options.rounds}`);
    baseline.push(await sample(() => startComparisonTarget('baseline')));
    relay.push(await sample(startSqliteRelayTarget));
  }
  return [summarise('sf-relay-sqlite', relay), summarise('baseline', baseline)];
}

interface Sample {
  readonly ms: number;
  readonly rssMb: number | null;
}

async function sample(start: () => Promise<RunningTarget>): Promise<Sample> {
  const started = performance.now();
  const target = await start();
  try {
    await untilHealthy(target.url);
    const ms = performance.now() - started;
    return { ms, rssMb: rssMb(target.pid) };
  } finally {
    await target.stop();
  }
}

async function untilHealthy(url: string): Promise<void> {
  const deadline = Date.now() + PROBE_DEADLINE_MS;
  for (;;) {
    const status = await fetch(`${url}/healthz`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline)
      throw new Error(`${url}/healthz did not answer 200 within ${PROBE_DEADLINE_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
  }
}

function summarise(target: StartupResult['target'], samples: readonly Sample[]): StartupResult {
  const rss = samples.map((s) => s.rssMb).filter((value): value is number => value !== null);
  return {
    scenario: 'startup',
    target,
    rounds: samples.length,
    startupMs: Math.round(median(samples.map((s) => s.ms))),
    idleRssMb: rss.length === 0 ? null : median(rss),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
