import { percentiles, runDemo } from '../../demo/index.ts';
import type { Logger } from '../../logger.ts';
import type { EndToEndResult } from '../report.ts';

export interface EndToEndOptions {
  readonly seconds: number;
  /** Tried in order, stopping after the first rate that is not sustained. */
  readonly rates: readonly number[];
  readonly logger: Logger;
  readonly progress: (line: string) => void;
}

/** How long the loop may take to drain after the last close before the rate counts as failed. */
const DRAIN_SECONDS = 30;

/**
 * The whole loop on loopback (emulator → relay → worker → reference ERP → callback), with the
 * emulator closing Opportunities evenly spaced at each rate. Latency is close → order number
 * on the record, as the emulator sees the callback land.
 */
export async function runEndToEndScenario(options: EndToEndOptions): Promise<EndToEndResult[]> {
  const results: EndToEndResult[] = [];
  for (const rate of options.rates) {
    const count = Math.max(2, Math.round(rate * options.seconds));
    options.progress(`end-to-end: closing ${count} Opportunities at ${rate}/s`);
    const demo = await runDemo({
      count,
      port: 0,
      closesPerSecond: rate,
      // Salesforce usually delivers once; duplicates are the demo's point, not this one's.
      duplicateDeliveries: false,
      deadlineMs: (options.seconds + DRAIN_SECONDS) * 1000,
      logger: options.logger,
    });
    await demo.stop();
    const latencies = demo.latenciesInCloseOrderMs;
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
