import type { Command } from 'commander';
import { ConfigError } from '../config/index.ts';
import { createLogger } from '../shared/index.ts';
import { withPortHint } from '../process/index.ts';
import { emulatorConfigFromFlags } from './config-from-flags.ts';
import { parsePort } from './options.ts';

interface EmulatorOptions {
  config?: string;
  port?: number;
  host?: string;
  legacySessionId?: boolean;
  data?: string;
  metadata?: string;
}

export function registerEmulatorCommand(
  program: Command,
  run: (work: () => Promise<number>) => void,
): void {
  // Long on purpose: a flat list of commander option declarations, one per flag, read top to bottom like the help text.
  program
    .command('emulator')
    .description(
      'run a local Salesforce org: REST, SOAP and OAuth APIs, and outbound messages with the real retry schedule',
    )
    .option(
      '-c, --config <file>',
      'JSON or YAML emulator config file (SFRELAY_EMULATOR_* variables override it)',
    )
    .option('-p, --port <n>', 'port to listen on (default 8443; 0 picks a free one)', parsePort)
    .option('--host <address>', 'address to bind (default 127.0.0.1)')
    .option(
      '--data <file>',
      'keep records in this SQLite file across restarts (default: in memory)',
    )
    .option(
      '--metadata <dir>',
      "SFDX project whose custom fields, outbound messages and flows the org runs (default: sf-relay's salesforce-metadata/)",
    )
    .option('--legacy-session-id', 'send a SessionId in outbound messages, as orgs did before 2026')
    .addHelpText(
      'after',
      '\nPrints the instance URL, the org id and an access token for the integration user on stderr;\n' +
        'logs JSON lines on stdout. The control API is under /emulator (see the README).',
    )
    .action((options: EmulatorOptions) =>
      run(async () => {
        const { DEFAULT_METADATA_DIR, MetadataError, startEmulator } =
          await import('../emulator/index.ts');
        const config = emulatorConfigFromFlags(options.config, {
          port: ['--port', options.port],
          host: ['--host', options.host],
          legacySessionId: ['--legacy-session-id', options.legacySessionId],
          dataFile: ['--data', options.data],
          metadataDir: ['--metadata', options.metadata],
        });
        const logger = createLogger(config.logLevel);
        let emulator;
        try {
          emulator = await withPortHint(
            {
              service: 'the emulator',
              host: config.host,
              port: config.port,
              choose: '--port N (or SFRELAY_EMULATOR_PORT; 0 picks a free one)',
            },
            () => startEmulator({ config, logger }),
          );
        } catch (error) {
          // The metadata folder is the operator's input, like the config: exit code 2.
          if (error instanceof MetadataError)
            throw new ConfigError(error.message, { cause: error });
          throw error;
        }
        logger.info(
          {
            event: 'emulator.listening',
            url: emulator.url,
            organizationId: emulator.organizationId,
          },
          'sf-relay emulator listening',
        );
        const user = emulator.users[0];
        // The token is the emulator's own, for this local org only: printing it is the point.
        process.stderr.write(
          [
            'sf-relay emulator: a local Salesforce org',
            `  instance URL   ${emulator.url}`,
            `  org id         ${emulator.organizationId}`,
            `  username       ${user?.username ?? '-'}`,
            `  access token   ${emulator.accessToken}`,
            `  process id     ${process.pid} (Ctrl-C or kill ${process.pid} stops it)`,
            `  metadata       ${config.metadataDir ?? DEFAULT_METADATA_DIR}`,
            ...emulator.definitions
              .list()
              .map(
                (d) =>
                  `  outbound       ${d.name} (${d.object}, ${d.criteria.field} = ${d.criteria.equals}) → ${d.endpointUrl}`,
              ),
            '',
          ].join('\n'),
        );
        await new Promise<void>((resolve) => {
          const stop = (): void => void emulator.close().then(resolve, resolve);
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        return 0;
      }),
    );
}
