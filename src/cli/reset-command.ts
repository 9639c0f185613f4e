import { existsSync, readdirSync, rmSync, rmdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { DEV_DATA_FILES, DEV_PID_FILE, devProcessUsing } from '../dev/index.ts';

interface ResetOptions {
  dataDir: string;
  yes?: boolean;
}

/** SQLite keeps a database's recent writes beside it; they go with the file. */
const SQLITE_SIDE_FILES = ['', '-wal', '-shm', '-journal'];

export function registerResetCommand(
  program: Command,
  run: (work: () => Promise<number>) => void,
): void {
  program
    .command('reset')
    .description(
      "empty the local data folder: the inbox, the reference ERP's orders and the emulator's records (asks first)",
    )
    .option(
      '--data-dir <dir>',
      'the folder sf-relay dev, start and erp keep their files in',
      './data',
    )
    .option('-y, --yes', 'do not ask (scripts, CI)')
    .addHelpText(
      'after',
      `\nRemoves only sf-relay's own files (${DEV_DATA_FILES.join(', ')} and their SQLite -wal/-shm\n` +
        'files), then the folder if nothing else is left in it. Refuses while sf-relay dev runs on it.',
    )
    .action((options: ResetOptions) =>
      run(async () => {
        const dir = resolve(options.dataDir);
        const busy = devProcessUsing(dir);
        if (busy !== undefined) {
          process.stderr.write(
            `sf-relay reset: sf-relay dev (process ${busy}) is using ${options.dataDir}: stop it first (Ctrl-C in its terminal, or kill ${busy})\n`,
          );
          return 1;
        }
        const files = DEV_DATA_FILES.flatMap((name) =>
          SQLITE_SIDE_FILES.map((side) => join(dir, `${name}${side}`)),
        ).filter((file) => existsSync(file));
        if (files.length === 0) {
          process.stderr.write(
            `sf-relay reset: nothing to remove in ${options.dataDir} (${dir})\n`,
          );
          return 0;
        }
        process.stderr.write(`sf-relay reset removes from ${options.dataDir} (${dir}):\n`);
        for (const file of files) process.stderr.write(`  ${file}\n`);
        if (!options.yes) {
          if (process.stdin.isTTY !== true) {
            process.stderr.write(
              'sf-relay reset: not a terminal to ask in: pass --yes to confirm\n',
            );
            return 2;
          }
          const prompt = createInterface({ input: process.stdin, output: process.stderr });
          const answer = await prompt.question('remove them? [y/N] ');
          prompt.close();
          if (!/^y(es)?$/i.test(answer.trim())) {
            process.stderr.write('nothing removed\n');
            return 1;
          }
        }
        for (const file of files) rmSync(file, { force: true });
        rmSync(join(dir, DEV_PID_FILE), { force: true });
        if (readdirSync(dir).length === 0) rmdirSync(dir);
        process.stderr.write(
          `removed ${files.length} file${files.length === 1 ? '' : 's'}; the next run starts empty\n`,
        );
        return 0;
      }),
    );
}
