import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/index.ts';
import { SfRelayError } from '../shared/index.ts';
import { InboxArgumentError } from '../inbox/index.ts';
import { REPO_ROOT } from '../process/index.ts';
import { registerCodegenCommand } from './codegen-command.ts';
import { registerChaosCommand } from './chaos-command.ts';
import { registerCheckCommand } from './check-command.ts';
import { registerBenchCommand } from './bench-command.ts';
import { registerDemoCommand } from './demo-command.ts';
import { registerDevCommand } from './dev-command.ts';
import { registerEmulatorCommand } from './emulator-command.ts';
import { registerErpCommand } from './erp-command.ts';
import { registerErrorsCommand } from './errors-command.ts';
import { registerInitCommand } from './init-command.ts';
import { registerMessagesCommand } from './messages-command.ts';
import { registerMigrateCommand } from './migrate-command.ts';
import { registerPurgeCommand } from './purge-command.ts';
import { registerReplayCommand } from './replay-command.ts';
import { registerResetCommand } from './reset-command.ts';
import { registerStartCommand } from './start-command.ts';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** Exit codes: 0 success, 1 the work failed, 2 the command line or configuration is wrong. */
/**
 * The `sf-relay` command with every subcommand registered; `run` receives the work of the one
 * the command line picks. (The README's command table is checked against this.)
 */
export function buildProgram(run: (work: () => Promise<number>) => void): Command {
  const program = new Command()
    .name('sf-relay')
    .description('Salesforce outbound messages in, durably stored, acknowledged only after commit.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nFirst time? `sf-relay dev` runs the whole loop on this machine; `sf-relay init` writes a\n' +
        'starter relay.yaml and `sf-relay check` tests it. Every command takes --help.\n\n' +
        'Exit codes: 0 success, 1 the work failed, 2 the command line or the configuration is wrong.\n' +
        `Docs: ${join(REPO_ROOT, 'README.md')} and ${join(REPO_ROOT, 'docs')}/.\n`,
    )
    .exitOverride();
  registerStartCommand(program, run);
  registerDevCommand(program, run);
  registerInitCommand(program, run);
  registerCheckCommand(program, run);
  registerDemoCommand(program, run);
  registerChaosCommand(program, run);
  registerMessagesCommand(program, run);
  registerReplayCommand(program, run);
  registerPurgeCommand(program, run);
  registerResetCommand(program, run);
  registerMigrateCommand(program, run);
  registerEmulatorCommand(program, run);
  registerErpCommand(program, run);
  registerCodegenCommand(program, run);
  registerBenchCommand(program, run);
  registerErrorsCommand(program, run);
  program.commands.forEach((command) => command.exitOverride());
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  let work: (() => Promise<number>) | undefined;
  const program = buildProgram((body) => {
    work = body;
  });

  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    throw error;
  }
  if (!work) {
    program.outputHelp();
    return 2;
  }
  try {
    return await work();
  } catch (error) {
    process.stderr.write(`sf-relay: ${describeError(error)}\n`);
    return error instanceof ConfigError || error instanceof InboxArgumentError ? 2 : 1;
  }
}

function describeError(error: unknown): string {
  if (error instanceof SfRelayError) return `${error.message} [${error.code}]`;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === undefined ? error.message : `${error.message} [${code}]`;
  }
  return String(error);
}
