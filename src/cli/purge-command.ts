import { InvalidArgumentError, type Command } from 'commander';
import { DB_OPTION_HELP } from './options.ts';
import { loadConfig } from '../config/index.ts';
import { openInbox, type PurgeOptions } from '../inbox/index.ts';

interface PurgeCommandOptions {
  config?: string;
  db?: string;
  state: PurgeOptions['states'];
  olderThanDays: number;
  dryRun?: boolean;
}

const PURGEABLE = ['done', 'dead', 'held'] as const;
const DAY_MS = 86_400_000;

function parseState(value: string, previous: PurgeOptions['states'] | undefined) {
  const state = PURGEABLE.find((known) => known === value);
  if (state === undefined) {
    throw new InvalidArgumentError(
      `expected one of ${PURGEABLE.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return [...(previous ?? []), state];
}

function parseDays(value: string): number {
  const days = Number(value);
  if (!Number.isFinite(days) || days < 0) {
    throw new InvalidArgumentError(`expected a number of days ≥ 0, got ${JSON.stringify(value)}`);
  }
  return days;
}

export function registerPurgeCommand(
  program: Command,
  run: (work: () => Promise<number>) => void,
): void {
  program
    .command('purge')
    .description(
      'delete finished or parked notifications (done, dead, held) last changed before a cut-off; received or in-flight ones are never deleted',
    )
    .requiredOption(
      '--state <state>',
      'done, dead or held; repeat for several (required: a dead or held letter is only deleted on purpose)',
      parseState,
    )
    .option(
      '--older-than-days <days>',
      'only those last changed more than this many days ago',
      parseDays,
      0,
    )
    .option('--dry-run', 'count what would be deleted, delete nothing')
    .option('-c, --config <file>', 'config file to take the database from')
    .option('--db <url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      '\nDone notifications are also deleted by the worker after retention.doneDays (default 30).\n\nExamples:\n  sf-relay purge --state dead --older-than-days 7 --dry-run\n  sf-relay purge --state held --state dead --older-than-days 30',
    )
    .action((options: PurgeCommandOptions) =>
      run(async () => {
        const config = loadConfig({
          file: options.config,
          env: process.env,
          overrides: { db: options.db },
          overrideNames: { db: '--db' },
        });
        const inbox = await openInbox(config.db);
        try {
          const states = [...new Set(options.state)];
          const before = new Date(Date.now() - options.olderThanDays * DAY_MS);
          const count = await inbox.purge({ states, before, dryRun: options.dryRun === true });
          const what = `${count} ${states.join('/')} notification${count === 1 ? '' : 's'}`;
          process.stdout.write(
            options.dryRun === true
              ? `would delete ${what} last changed before ${before.toISOString()}\n`
              : `deleted ${what} last changed before ${before.toISOString()}\n`,
          );
          return 0;
        } finally {
          await inbox.close();
        }
      }),
    );
}
