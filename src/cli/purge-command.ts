import { InvalidArgumentError, type Command } from 'commander';
import type { PurgeOptions } from '../inbox/index.ts';
import { withInbox, withInboxOptions, type InboxFlags } from './inbox-command.ts';

interface PurgeCommandOptions extends InboxFlags {
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
  withInboxOptions(
    program
      .command('purge')
      .description(
        'delete finished or parked notifications (done, dead, held) last changed before a cut-off; received or in-flight ones are never deleted',
      ),
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
    .addHelpText(
      'after',
      '\nDone notifications are also deleted by the worker after retention.doneDays (default 30).\n\nExamples:\n  sf-relay purge --state dead --older-than-days 7 --dry-run\n  sf-relay purge --state held --state dead --older-than-days 30',
    )
    .action((options: PurgeCommandOptions) =>
      run(() =>
        withInbox('purge', options, {}, async (inbox) => {
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
        }),
      ),
    );
}
