import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { renderEnvExample, renderStarterYaml, salesforceIdProblem } from '../config/index.ts';

interface InitOptions {
  org?: string;
  dir: string;
}

export function registerInitCommand(
  program: Command,
  run: (work: () => Promise<number>) => void,
): void {
  program
    .command('init')
    .description(
      'write a commented relay.yaml (every setting, its default and its SFRELAY_* variable) and a .env.example; never overwrites a file',
    )
    .option(
      '--org <id>',
      'the Salesforce org id (00D…, 15 or 18 characters) to accept messages from',
    )
    .option('--dir <dir>', 'folder to write the two files in', '.')
    .addHelpText(
      'after',
      '\nThen: sf-relay check --config relay.yaml, and sf-relay start --config relay.yaml.',
    )
    .action((options: InitOptions) =>
      run(async () => {
        if (options.org !== undefined) {
          const problem = salesforceIdProblem(options.org.trim());
          if (problem !== undefined) {
            process.stderr.write(`sf-relay init: --org ${problem}\n`);
            return 2;
          }
        }
        const starter = { organizationId: options.org?.trim() };
        mkdirSync(options.dir, { recursive: true });
        const files: [string, string][] = [
          ['relay.yaml', renderStarterYaml(starter)],
          ['.env.example', renderEnvExample(starter)],
        ];
        for (const [name, text] of files) {
          const path = join(options.dir, name);
          const shown = relative(process.cwd(), resolve(path)) || path;
          if (existsSync(path)) {
            process.stderr.write(`kept   ${shown} (it exists; init never overwrites a file)\n`);
            continue;
          }
          writeFileSync(path, text, { flag: 'wx' });
          process.stderr.write(`wrote  ${shown}\n`);
        }
        const config = relative(process.cwd(), resolve(options.dir, 'relay.yaml')) || 'relay.yaml';
        process.stderr.write(
          `\nnext: sf-relay check --config ${config}   (says what is still missing, and how to fix it)\n`,
        );
        return 0;
      }),
    );
}
