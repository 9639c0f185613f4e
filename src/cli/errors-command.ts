import type { Command } from 'commander';
import { loadErrorCatalogues } from './error-catalogues.ts';
import {
  flattenCatalogues,
  renderErrorMarkdown,
  renderErrorText,
} from './render-error-catalogue.ts';

interface ErrorsOptions {
  json?: boolean;
  markdown?: boolean;
}

export function registerErrorsCommand(
  program: Command,
  run: (work: () => Promise<number>) => void,
): void {
  program
    .command('errors')
    .description('explain an error code: what it means, whether it is retried, what to do')
    .argument('[code]', 'one code, e.g. ORG_NOT_ALLOWED (case-insensitive); all when omitted')
    .option('--json', 'print the entries as one JSON array')
    .option('--markdown', 'print the docs/errors.md page')
    .addHelpText(
      'after',
      '\nCodes appear in SOAP faults (<sfr:code>), in `sf-relay messages` (last error of a\n' +
        'retrying, dead or held notification), in log lines and in command errors.\n' +
        'Exit code 2 when the code is unknown.',
    )
    .action((code: string | undefined, options: ErrorsOptions) =>
      run(async () => {
        const catalogues = await loadErrorCatalogues();
        if (options.markdown) {
          process.stdout.write(renderErrorMarkdown(catalogues));
          return 0;
        }
        const all = flattenCatalogues(catalogues);
        const wanted = code?.trim().toUpperCase();
        const entries = wanted === undefined ? all : all.filter((entry) => entry.code === wanted);
        if (entries.length === 0) {
          process.stderr.write(
            `sf-relay errors: no error code ${JSON.stringify(code)}; \`sf-relay errors\` lists them all\n`,
          );
          return 2;
        }
        process.stdout.write(
          options.json
            ? `${JSON.stringify(entries)}\n`
            : entries.map((entry) => renderErrorText(entry)).join('\n'),
        );
        return 0;
      }),
    );
}
