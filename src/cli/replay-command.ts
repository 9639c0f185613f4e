import type { Command } from 'commander';
import { DB_OPTION_HELP } from './options.ts';
import { loadConfig } from '../config/index.ts';
import { openInbox } from '../inbox/index.ts';
import { missingInbox } from './missing-inbox.ts';

interface ReplayOptions {
  config?: string;
  db?: string;
  dead?: boolean;
}

export function registerReplayCommand(
  program: Command,
  run: (work: () => Promise<number>) => void,
): void {
  program
    .command('replay')
    .description('re-drive dead notifications: they become due again for the worker')
    .argument('[id]', 'the notification id (04l…) to replay')
    .option('--dead', 'replay every dead notification')
    .option('-c, --config <file>', 'config file to take the database from')
    .option('--db <url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      '\nExamples:\n  sf-relay replay 04l5g00000AbCdEAAV\n  sf-relay replay --dead',
    )
    .action((id: string | undefined, options: ReplayOptions) =>
      run(async () => {
        if ((id === undefined) === (options.dead !== true)) {
          process.stderr.write(
            'sf-relay replay: give either a notification id or --dead (run with --help for usage)\n',
          );
          return 2;
        }
        const config = loadConfig({
          file: options.config,
          env: process.env,
          overrides: { db: options.db },
          overrideNames: { db: '--db' },
        });
        const missing = missingInbox(config.db, 'replay');
        if (missing !== undefined) {
          process.stderr.write(missing);
          return 1;
        }
        const inbox = await openInbox(config.db);
        try {
          if (id === undefined) {
            const count = await inbox.replayDead();
            process.stdout.write(`replayed ${count} dead notification${count === 1 ? '' : 's'}\n`);
            return 0;
          }
          if (await inbox.replay(id)) {
            process.stdout.write(`replayed ${id}: due now for the worker\n`);
            return 0;
          }
          const message = await inbox.get(id);
          process.stderr.write(
            message === null
              ? `sf-relay replay: no notification ${id} in ${config.db}\n`
              : `sf-relay replay: ${id} is ${message.state}, not dead; only dead notifications are replayed\n`,
          );
          return 1;
        } finally {
          await inbox.close();
        }
      }),
    );
}
