import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentiles } from '../../demo/index.ts';
import { compiledModule } from '../../process/index.ts';
import type { Logger } from '../../shared/index.ts';
import type { EndToEndResult } from '../report.ts';
import type { PartMessage, PartReply } from './end-to-end-protocol.ts';

export interface EndToEndOptions {
  readonly seconds: number;
  /** Tried in order, stopping after the first rate that is not sustained. */
  readonly rates: readonly number[];
  readonly logger: Logger;
  readonly progress: (line: string) => void;
  /**
   * Write a `--cpu-prof` profile of each part process into this folder (default: the
   * SFRELAY_BENCH_CPU_PROF environment variable; none when unset).
   */
  readonly cpuProfileDir?: string;
}

/** How long the loop may take to drain after the last close before the rate counts as failed. */
const DRAIN_SECONDS = 30;
// The compiled part, like every child the bench starts: tsx is a development dependency.
const PART_SCRIPT = compiledModule('bench/scenarios/end-to-end-part');

/**
 * The whole loop on loopback (emulator → relay → worker → reference ERP → callback), each in
 * its own process as in production, with the emulator closing Opportunities evenly spaced at
 * each rate. Latency is close → order number on the record, as the emulator sees the callback
 * land. The three processes serve every rate; each rate closes fresh Opportunities.
 */
export async function runEndToEndScenario(options: EndToEndOptions): Promise<EndToEndResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sf-relay-e2e-'));
  const parts: Part[] = [];
  const profileDir = options.cpuProfileDir ?? process.env.SFRELAY_BENCH_CPU_PROF;
  try {
    const start = async (kind: string, arg?: string): Promise<Part> => {
      const part = await startPart(kind, arg, profileDir);
      parts.push(part);
      return part;
    };
    const [erp, org] = await Promise.all([start('erp', join(dir, 'erp.db')), start('org')]);
    const relay = await start(
      'relay',
      JSON.stringify({
        port: 0,
        db: `sqlite:${join(dir, 'relay.db')}`,
        emulatorUrl: org.ready.url,
        organizationId: org.ready.organizationId,
        erpUrl: erp.ready.url,
      }),
    );
    const results: EndToEndResult[] = [];
    for (const rate of options.rates) {
      const count = Math.max(2, Math.round(rate * options.seconds));
      options.progress(`end-to-end: closing ${count} Opportunities at ${rate}/s`);
      const cpuBefore = await cpuOf(parts);
      const done = await org.run({
        type: 'run',
        endpointUrl: `${relay.ready.url}/soap/outbound`,
        count,
        closesPerSecond: rate,
        deadlineMs: DRAIN_SECONDS * 1000,
      });
      const latencies = done?.latenciesInCloseOrderMs ?? [];
      // Seeding the run's records is set-up, not the loop.
      const setUpMs = (part: Part): number => (part === org ? (done?.seedCpuMs ?? 0) : 0);
      const cpuAfter = await cpuOf(parts);
      options.progress(
        `end-to-end: ${rate}/s: CPU per close: ${parts
          .map(
            (part, i) =>
              `${part.kind} ${(((cpuAfter[i] ?? 0) - (cpuBefore[i] ?? 0) - setUpMs(part)) / count).toFixed(2)} ms`,
          )
          .join(', ')}`,
      );
      const completed = latencies.filter((ms): ms is number => ms !== null);
      const e2e = percentiles(completed);
      const result: EndToEndResult = {
        scenario: 'end-to-end',
        target: 'sf-relay-sqlite',
        closesPerSec: rate,
        closed: count,
        completed: completed.length,
        e2eP50Ms: e2e.p50,
        e2eP95Ms: e2e.p95,
        e2eP99Ms: e2e.p99,
        sustained: completed.length === count && latencyIsFlat(latencies),
      };
      results.push(result);
      if (!result.sustained) break;
    }
    return results;
  } finally {
    // The org first, so no delivery hits a relay that is going away; the ERP last.
    const order = ['org', 'relay', 'erp'];
    parts.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
    for (const part of parts) await part.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each part's CPU time so far, in `parts` order: which process a close costs most. */
function cpuOf(parts: readonly Part[]): Promise<number[]> {
  return Promise.all(parts.map((part) => part.cpuMs()));
}

interface Part {
  readonly kind: string;
  readonly ready: { readonly url: string; readonly organizationId: string | null };
  run(order: PartMessage & { type: 'run' }): Promise<(PartReply & { type: 'done' }) | null>;
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

async function startPart(
  kind: string,
  arg: string | undefined,
  cpuProfileDir: string | undefined,
): Promise<Part> {
  const profile = cpuProfileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${join(cpuProfileDir, kind)}`]
    : [];
  const child = fork(PART_SCRIPT, arg === undefined ? [kind] : [kind, arg], {
    execArgv: profile,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const ready = await nextReply(child, 'ready', READY_TIMEOUT_MS, `the ${kind} process`);
  if (ready.type !== 'ready') throw new Error(`the ${kind} process answered ${ready.type}`);
  return {
    kind,
    ready,
    run: async (order) => {
      child.send(order);
      const done = await nextReply(child, 'done', null, `the ${kind} process`);
      return done.type === 'done' ? done : null;
    },
    cpuMs: async () => {
      const usage: PartMessage = { type: 'usage' };
      child.send(usage);
      const reply = await nextReply(child, 'usage', READY_TIMEOUT_MS, `the ${kind} process`);
      return reply.type === 'usage' ? reply.cpuMs : 0;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const stop: PartMessage = { type: 'stop' };
        if (child.connected) child.send(stop);
        else child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** The child's next reply of this type; fails if it exits first or (given one) the timeout passes. */
function nextReply(
  child: ChildProcess,
  type: PartReply['type'],
  timeoutMs: number | null,
  name: string,
): Promise<PartReply> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: PartReply): void => {
      if (message.type !== type) return;
      cleanup();
      resolve(message);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      cleanup();
      reject(new Error(`${name} exited (${signal ?? `code ${code}`}) before it sent ${type}`));
    };
    const timer =
      timeoutMs === null
        ? undefined
        : setTimeout(() => {
            cleanup();
            child.kill('SIGKILL');
            reject(new Error(`${name} did not send ${type} within ${timeoutMs} ms`));
          }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/**
 * The backlog is not growing when the Opportunities closed in the second half of the run
 * waited no longer than those of the first half (with slack for noise): a queue that grows
 * shows up as latency that climbs with every close.
 */
export function latencyIsFlat(latenciesInCloseOrder: readonly (number | null)[]): boolean {
  if (latenciesInCloseOrder.some((ms) => ms === null)) return false;
  const values = latenciesInCloseOrder as readonly number[];
  const half = Math.floor(values.length / 2);
  const first = percentiles(values.slice(0, half)).p50;
  const second = percentiles(values.slice(half)).p50;
  return second <= first * 1.5 + 100;
}
