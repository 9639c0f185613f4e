import type { Command } from 'commander';
import { redactUrlCredentials } from '../config/index.ts';
import { createLogger } from '../shared/index.ts';
import { withPortHint } from '../process/index.ts';
import { relayConfigFromFlags } from './config-from-flags.ts';
import { DB_OPTION_HELP, parsePort } from './options.ts';

interface StartOptions {
  config?: string;
  port?: number;
  host?: string;
  db?: string;
  role?: string;
  migrate?: boolean;
  wsdl?: string;
}

export function registerStartCommand(
  program: Command,
  run: (work: () => Promise<number>) => void,
): void {
  program
    .command('start')
    .description(
      'run the relay: the outbound-message listener, the worker that creates ERP orders and calls back, or both',
    )
    .option(
      '-c, --config <file>',
      'JSON or YAML config file (SFRELAY_* environment variables override it)',
    )
    .option('-p, --port <n>', 'port to listen on (default 8080; 0 picks a free one)', parsePort)
    .option('--host <address>', 'address to bind (default 127.0.0.1)')
    .option('--db <url>', DB_OPTION_HELP)
    .option(
      '--no-migrate',
      'do not create or upgrade the inbox schema (run `sf-relay migrate` first)',
    )
    .option(
      '--role <role>',
      'all (default), listener (receive and store only) or worker (process the inbox only)',
    )
    .option(
      '--wsdl <file>',
      "the outbound message's WSDL from Salesforce: served on ?wsdl, and messages not matching it are refused",
    )
    .addHelpText(
      'after',
      '\nThe listener needs at least one allowed organisation (allowedOrganizationIds, or\n' +
        'SFRELAY_ALLOWED_ORGANIZATION_IDS=00D...); the worker needs salesforce.oauth (or\n' +
        'SFRELAY_SALESFORCE_* variables) and erp.url. The relay logs JSON lines to stdout.',
    )
    .action((options: StartOptions) =>
      run(async () => {
        const { startRelay } = await import('../relay/index.ts');
        const config = relayConfigFromFlags(options.config, {
          port: ['--port', options.port],
          host: ['--host', options.host],
          db: ['--db', options.db],
          role: ['--role', options.role],
          // Commander sets migrate=true unless --no-migrate: only the flag may override the file.
          migrateOnStart: ['--no-migrate', options.migrate === false ? false : undefined],
          wsdl: ['--wsdl', options.wsdl],
        });
        const logger = createLogger(config.logLevel);
        const relay = await withPortHint(
          {
            service: 'the relay',
            host: config.host,
            port: config.port,
            choose: '--port N (or SFRELAY_PORT, or port: in the config file; 0 picks a free one)',
          },
          () => startRelay(config, logger),
        );
        logger.info(
          {
            event: 'relay.listening',
            url: relay.url,
            db: redactUrlCredentials(config.db),
            role: config.role,
            pid: process.pid,
          },
          'sf-relay listening',
        );
        await new Promise<void>((resolve) => {
          const stop = (signal: NodeJS.Signals): void => {
            logger.info({ event: 'relay.stopping', signal }, 'sf-relay stopping');
            relay.close().then(resolve, resolve);
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        logger.info({ event: 'relay.stopped' }, 'sf-relay stopped');
        return 0;
      }),
    );
}
