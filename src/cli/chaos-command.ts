import { randomInt } from 'node:crypto';
import { InvalidArgumentError, type Command } from 'commander';
import type { ChaosProgress } from '../chaos/index.ts';
import { parseFraction, parsePositiveInt, parseWholeNumber } from './options.ts';

interface ChaosCommandOptions {
  count: number;
  kills: number;
  erpErrors: number;
  sfErrors: number;
  db?: string;
  seed?: number;
  workers: number;
  deadline: number;
  keepLogs?: boolean;
  json?: boolean;
  erpOutage: number;
  dbRestarts: number;
  diskFaults: number;
}

/** The ERP's list API pages at 10 000; the verdict reads every order. */
const MAX_COUNT = 100_000;

function parseCount(value: string): number {
  const count = parsePositiveInt(value);
  if (count > MAX_COUNT) throw new InvalidArgumentError(`must be at most ${MAX_COUNT}`);
  return count;
}

export function registerChaosCommand(
  program: Command,
  run: (work: () => Promise<number>) => void,
): void {
  // Long on purpose: a flat list of commander option declarations, one per flag, read top to bottom like the help text.
  program
    .command('chaos')
    .description(
      'prove the guarantee: emulator, ERP and relay as separate processes; close N Opportunities while relay ' +
        'processes are SIGKILLed, the ERP and Salesforce fail, sessions expire and messages arrive twice and ' +
        'out of order; then check that nothing was lost or doubled',
    )
    .option('-n, --count <n>', 'Opportunities to close', parseCount, 1000)
    .option('-k, --kills <n>', 'SIGKILLs of relay processes (each restarted)', parseWholeNumber, 5)
    .option(
      '--erp-errors <p>',
      'fraction of ERP order calls that fail (5xx, timeout, drop)',
      parseFraction,
      0.2,
    )
    .option(
      '--sf-errors <p>',
      'fraction of Salesforce API calls that fail (503, UNABLE_TO_LOCK_ROW, INVALID_SESSION_ID)',
      parseFraction,
      0.1,
    )
    .option('--db <url>', 'inbox database (default: a fresh SQLite file in a temp folder)')
    .option(
      '--seed <n>',
      'seed for the kill schedule and fault draws (default: random)',
      parseWholeNumber,
    )
    .option(
      '--workers <n>',
      'worker processes beside the one listener process',
      parsePositiveInt,
      2,
    )
    .option('--deadline <seconds>', 'fail if not quiet after this long', parsePositiveInt, 1800)
    .option(
      '--erp-outage <seconds>',
      'the ERP refuses every order call for this long, once, mid-run (afterwards: no dead letters, everything ordered once)',
      parseWholeNumber,
      0,
    )
    .option(
      '--db-restarts <n>',
      "keep the inbox on a PostgreSQL server of the run's own (initdb in the run folder) and restart it this many times mid-run; not with --db",
      parseWholeNumber,
      0,
    )
    .option(
      '--disk-faults <n>',
      'make the SQLite inbox files unwritable (chattr +i) this many times for up to 2.5 s each; needs root',
      parseWholeNumber,
      0,
    )
    .option('--keep-logs', 'keep the run folder (logs, databases) even when it passes')
    .option('--json', 'print one JSON object on stdout instead of the table')
    .addHelpText(
      'after',
      '\nPrints {"closed","orders","callbacks","lost","doubled","kills","erpFaults","sfFaults","seconds","ok"} with --json.\n' +
        'Exit code 0 only when every closed Opportunity has exactly one ERP order and its number on the\n' +
        'record, no notification is left anywhere but done, and no log holds a secret. A failing run\n' +
        'prints its seed and keeps its logs; the same --seed gives the same kill schedule and fault draws.',
    )
    .action((options: ChaosCommandOptions) =>
      run(async () => {
        const { renderChaosJson, renderChaosTable, renderProblems, runChaos } =
          await import('../chaos/index.ts');
        const conflict = disruptionConflict(options);
        if (conflict !== undefined) {
          process.stderr.write(`sf-relay chaos: ${conflict} (run with --help for usage)\n`);
          return 2;
        }
        const seed = options.seed ?? randomInt(2 ** 31);
        // Exiting kills the run's child processes (see chaos/child-server.ts).
        const interrupted = (): void => {
          process.stderr.write(`\nsf-relay chaos: interrupted (seed ${seed})\n`);
          process.exit(130);
        };
        process.once('SIGINT', interrupted);
        process.once('SIGTERM', interrupted);
        process.stderr.write(`sf-relay chaos: seed ${seed}\n`);
        const { report, details } = await runChaos({
          count: options.count,
          kills: options.kills,
          erpErrors: options.erpErrors,
          sfErrors: options.sfErrors,
          db: options.db,
          seed,
          workers: options.workers,
          deadlineMs: options.deadline * 1000,
          keepLogs: options.keepLogs === true,
          erpOutageSeconds: options.erpOutage,
          dbRestarts: options.dbRestarts,
          diskFaults: options.diskFaults,
          onProgress: progressPrinter(),
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
        if (options.json) {
          process.stdout.write(renderChaosJson(report));
          process.stderr.write(renderProblems(details));
        } else {
          process.stdout.write(renderChaosTable(report, details));
        }
        if (details.logDir !== undefined && details.problems.length === 0)
          process.stderr.write(`logs kept in ${details.logDir}\n`);
        return report.ok ? 0 : 1;
      }),
    );
}

/** Options that cannot go together, named, or undefined. */
function disruptionConflict(options: ChaosCommandOptions): string | undefined {
  if (options.dbRestarts > 0 && options.db !== undefined)
    return "--db-restarts restarts a PostgreSQL server of the run's own, never one others share; leave out --db";
  const onSqlite =
    options.dbRestarts === 0 && (options.db === undefined || options.db.startsWith('sqlite:'));
  if (options.diskFaults > 0 && !onSqlite)
    return '--disk-faults makes the SQLite inbox unwritable; it needs the SQLite inbox (no PostgreSQL --db, no --db-restarts)';
  return undefined;
}

/** Progress on stderr, at most one line a second when not a terminal. */
function progressPrinter(): (p: ChaosProgress) => void {
  const tty = process.stderr.isTTY === true;
  let last = '';
  let lastAt = 0;
  return (p) => {
    const line = `${p.phase.padEnd(9)} closed ${p.closed}/${p.total}  done ${p.done}/${p.total}  kills ${p.kills}`;
    if (line === last || (!tty && Date.now() - lastAt < 1000 && p.phase === 'flowing')) return;
    last = line;
    lastAt = Date.now();
    process.stderr.write(tty ? `\r${line}   ` : `${line}\n`);
  };
}
