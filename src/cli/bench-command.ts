import { InvalidArgumentError, type Command } from 'commander';
import { pino } from 'pino';
import {
  DEFAULT_BATCHES,
  DEFAULT_CONCURRENCIES,
  DEFAULT_POSTGRES_URL,
  SCENARIO_NAMES,
  TARGET_NAMES,
  type ScenarioName,
  type TargetName,
} from '../bench/index.ts';
import { createLogger } from '../shared/index.ts';

interface BenchCommandOptions {
  seconds: number;
  scenario?: ScenarioName[];
  target?: TargetName[];
  concurrency?: number[];
  batch?: number[];
  postgres: string;
  json?: boolean;
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || seconds <= 0 || seconds > 600)
    throw new InvalidArgumentError('must be a number of seconds above 0 and at most 600');
  return seconds;
}

function listOf<T extends string>(allowed: readonly T[]): (value: string) => T[] {
  return (value) =>
    value.split(',').map((item) => {
      const name = item.trim();
      if (!(allowed as readonly string[]).includes(name))
        throw new InvalidArgumentError(
          `${JSON.stringify(name)} is not one of ${allowed.join(', ')}`,
        );
      return name as T;
    });
}

function numbersBetween(min: number, max: number): (value: string) => number[] {
  return (value) =>
    value.split(',').map((item) => {
      const number = Number(item.trim());
      if (!/^\d+$/.test(item.trim()) || number < min || number > max)
        throw new InvalidArgumentError(`each value must be a whole number from ${min} to ${max}`);
      return number;
    });
}

export function registerBenchCommand(
  program: Command,
  run: (work: () => Promise<number>) => void,
): void {
  program
    .command('bench')
    .description(
      'measure ack throughput, end-to-end latency and recovery, side by side with a bare HTTP ceiling and node-soap',
    )
    .option(
      '-s, --seconds <s>',
      'length of each load run (and of each end-to-end rate)',
      parseSeconds,
      5,
    )
    .option(
      '--scenario <names>',
      `comma-separated scenarios: ${SCENARIO_NAMES.join(', ')} (default: all)`,
      listOf(SCENARIO_NAMES),
    )
    .option(
      '--target <names>',
      `ack targets: ${TARGET_NAMES.join(', ')} (default: all; sf-relay-postgres only when available)`,
      listOf(TARGET_NAMES),
    )
    .option(
      '--concurrency <list>',
      `ack concurrencies (default ${DEFAULT_CONCURRENCIES.join(',')})`,
      numbersBetween(1, 1024),
    )
    .option(
      '--batch <list>',
      `notifications per message (default ${DEFAULT_BATCHES.join(',')})`,
      numbersBetween(1, 100),
    )
    .option(
      '--postgres <url>',
      'PostgreSQL for sf-relay-postgres (default SFRELAY_BENCH_POSTGRES_URL or the local server)',
      process.env.SFRELAY_BENCH_POSTGRES_URL ?? DEFAULT_POSTGRES_URL,
    )
    .option('--json', 'print one JSON object on stdout instead of the tables')
    .addHelpText(
      'after',
      '\nScenarios:\n' +
        '  ack         closed-loop load (autocannon, in its own process) at each concurrency and\n' +
        '              batch against baseline (bare Fastify, canned Ack), node-soap (server from\n' +
        '              the outbound WSDL, no storage), sf-relay-sqlite and sf-relay-postgres;\n' +
        '              then start-up (spawn → /healthz 200) and idle RSS of the relay against a\n' +
        '              bare Fastify process, when both baseline and sf-relay-sqlite are targets\n' +
        '  end-to-end  the emulator closes Opportunities at rising fixed rates; close → order\n' +
        '              number latency and the highest rate whose backlog stays flat\n' +
        '  recovery    restart a worker on 50,000 queued notifications; time to the first claim\n' +
        "  api-calls   Salesforce API calls per order, from the emulated org's own counters: one\n" +
        '              close alone, then a burst of 1,000 closes\n' +
        '\nRatios compare notifications/s at 32 connections measured in the same run; absolute\n' +
        'figures on a shared machine move from run to run. Progress goes to stderr. Exit code 1\n' +
        'when a run saw failed requests.',
    )
    .action((options: BenchCommandOptions) =>
      run(async () => {
        const { renderTable, runBench } = await import('../bench/index.ts');
        const logger = createLogger('error', pino.destination(2));
        const report = await runBench({
          seconds: options.seconds,
          scenarios: options.scenario ?? SCENARIO_NAMES,
          targets: options.target,
          concurrencies: options.concurrency,
          batches: options.batch,
          postgresUrl: options.postgres,
          logger,
          progress: (line) => process.stderr.write(`${line}\n`),
        });
        process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : renderTable(report));
        const failed = report.results.some((r) => r.scenario === 'ack' && r.failures > 0);
        return failed ? 1 : 0;
      }),
    );
}
