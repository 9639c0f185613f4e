import { newRunTag } from '../outbound-body.ts';
import { runLoad } from '../load/run-load.ts';
import type { AckResult } from '../report.ts';
import { postgresAvailability } from '../targets/postgres-availability.ts';
import { rssMb } from '../targets/rss.ts';
import {
  startComparisonTarget,
  startPostgresRelayTarget,
  startSqliteRelayTarget,
  type RunningTarget,
  type TargetName,
} from '../targets/targets.ts';

export interface AckScenarioOptions {
  readonly seconds: number;
  readonly targets: readonly TargetName[];
  readonly concurrencies: readonly number[];
  readonly batches: readonly number[];
  readonly postgresUrl: string;
  readonly progress: (line: string) => void;
}

export interface AckScenarioOutcome {
  readonly results: AckResult[];
  readonly skipped: { readonly target: TargetName; readonly reason: string }[];
}

/** Not reported: lets the JIT and the file system settle before the measured runs. */
const WARMUP = { seconds: 1, connections: 8 };

/**
 * Closed-loop ack throughput: for each target in turn (alone on the machine apart from the
 * load generator), for each message size, C connections each send a message, wait for the
 * answer, and send the next.
 */
export async function runAckScenario(options: AckScenarioOptions): Promise<AckScenarioOutcome> {
  const results: AckResult[] = [];
  const skipped: { target: TargetName; reason: string }[] = [];
  for (const name of options.targets) {
    const start = await starter(name, options.postgresUrl);
    if (typeof start === 'string') {
      skipped.push({ target: name, reason: start });
      options.progress(`${name}: ${start}`);
      continue;
    }
    const target = await start();
    try {
      for (const batch of options.batches) {
        const url = `${target.url}/soap/outbound`;
        await runLoad({ url, batch, runTag: newRunTag(), ...WARMUP });
        for (const concurrency of options.concurrencies) {
          options.progress(`${name}: ${concurrency} connections, ${batch}-notification messages`);
          const load = await runLoad({
            url,
            batch,
            connections: concurrency,
            seconds: options.seconds,
            runTag: newRunTag(),
          });
          results.push({
            scenario: 'ack',
            target: name,
            concurrency,
            batch,
            notificationsPerSec: load.notificationsPerSec,
            messagesPerSec: load.messagesPerSec,
            ackP50Ms: load.ackP50Ms,
            ackP99Ms: load.ackP99Ms,
            rssMb: rssMb(target.pid),
            failures: load.failures,
          });
        }
      }
    } finally {
      await target.stop();
    }
  }
  return { results, skipped };
}

/** How to start a target, or why it cannot run here. */
async function starter(
  name: TargetName,
  postgresUrl: string,
): Promise<(() => Promise<RunningTarget>) | string> {
  switch (name) {
    case 'baseline':
    case 'node-soap':
      return () => startComparisonTarget(name);
    case 'sf-relay-sqlite':
      return startSqliteRelayTarget;
    case 'sf-relay-postgres': {
      const availability = await postgresAvailability(postgresUrl);
      if (!availability.available) return availability.reason;
      return () => startPostgresRelayTarget(postgresUrl);
    }
  }
}
