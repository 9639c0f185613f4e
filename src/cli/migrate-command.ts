import type { Command } from 'commander';
import { migrateInbox } from '../inbox/index.ts';

export function registerMigrateCommand(
  program: Command,
  run: (work: () => Promise<number>) => void,
): void {
  program
    .command('migrate')
    .description('create or upgrade the inbox schema explicitly (start also does it)')
    .requiredOption('--db <url>', 'inbox database: sqlite:PATH')
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
