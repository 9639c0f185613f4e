import type { Command } from 'commander';
import { DB_OPTION_HELP } from './options.ts';
import { migrateInbox } from '../inbox/index.ts';

export function registerMigrateCommand(
  program: Command,
  run: (work: () => Promise<number>) => void,
): void {
  program
    .command('migrate')
    .description('create or upgrade the inbox schema explicitly (start also does it)')
    .requiredOption('--db <url>', DB_OPTION_HELP.replace(' (default sqlite:./data/relay.db)', ''))
    .action((options: { db: string }) =>
      run(async () => {
        const result = await migrateInbox(options.db);
        process.stdout.write(
          result.applied.length === 0
            ? `inbox schema is up to date (version ${result.version})\n`
            : `applied migration(s) ${result.applied.join(', ')}; inbox schema is at version ${result.version}\n`,
        );
        return 0;
      }),
    );
}
