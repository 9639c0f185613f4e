import type { Command } from 'commander';
import { relayConfigFromFlags } from './config-from-flags.ts';

interface CheckOptions {
  config?: string;
  json?: boolean;
}

export function registerCheckCommand(
  program: Command,
  run: (work: () => Promise<number>) => void,
): void {
  program
    .command('check')
    .description(
      'load the configuration, report every problem at once, then try the database, OAuth token, ERP, TLS files, sender checks and WSDL without side effects',
    )
    .option(
      '-c, --config <file>',
      'JSON or YAML config file (SFRELAY_* environment variables override it)',
    )
    .option(
      '--json',
      'one JSON object on stdout: {"ok":…,"checks":[{"name","ok","detail","warning"?}]}',
    )
    .addHelpText(
      'after',
      '\nOne line per check: ok; warn (it passes, but may cost messages: what to look at); or FAIL with\n' +
        'the reason and the fix. Exit code 0 only when all pass (a warning passes);\n' +
        '2 when the configuration itself is invalid (every problem listed), 1 when a check fails.',
    )
    .action((options: CheckOptions) =>
      run(async () => {
        const { runChecks } = await import('../check/index.ts');
        // An invalid configuration throws a ConfigError naming every problem: exit code 2.
        const config = relayConfigFromFlags(options.config);
        const results = await runChecks(config);
        const allOk = results.every((result) => result.ok);
        const warnings = results.filter((result) => result.warning !== undefined).length;
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ ok: allOk, checks: results })}\n`);
        } else {
          const width = Math.max(...results.map((result) => result.name.length));
          process.stdout.write(
            `config    ok    ${options.config ?? 'no file: defaults and SFRELAY_* variables'}\n`,
          );
          for (const result of results) {
            const status = !result.ok ? 'FAIL' : result.warning !== undefined ? 'warn' : 'ok  ';
            const warning = result.warning === undefined ? '' : ` — ${result.warning}`;
            process.stdout.write(
              `${result.name.padEnd(Math.max(width, 8))}  ${status}  ${result.detail}${warning}\n`,
            );
          }
          process.stdout.write(
            allOk
              ? `\nall checks passed${warnings === 0 ? '' : ` (${warnings} with a warning)`}\n`
              : `\n${results.filter((r) => !r.ok).length} check(s) failed\n`,
          );
        }
        return allOk ? 0 : 1;
      }),
    );
}
