import { Option, type Command } from 'commander';
import { pino } from 'pino';
import type { RunningDev } from '../dev/index.ts';
import { createLogger } from '../shared/index.ts';
import { parsePort } from './options.ts';
import { untilStopSignal } from './stop-signal.ts';

interface DevOptions {
  dataDir: string;
  port: number;
  emulatorPort: number;
  erpPort: number;
  logLevel: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function registerDevCommand(
  program: Command,
  run: (work: () => Promise<number>) => void,
): void {
  program
    .command('dev')
    .description(
      'the whole loop in one process: emulator, reference ERP and relay, wired together, data kept in one folder; Ctrl-C stops all three',
    )
    .option('--data-dir <dir>', 'folder for the inbox, the orders and the org', './data')
    .option('-p, --port <n>', 'relay port (0 picks a free one)', parsePort, 8080)
    .option('--emulator-port <n>', 'emulator port (0 picks a free one)', parsePort, 8443)
    .option('--erp-port <n>', 'reference ERP port (0 picks a free one)', parsePort, 8090)
    .addOption(
      new Option('--log-level <level>', 'JSON logs on stdout at this level')
        .choices(LOG_LEVELS)
        .default('warn'),
    )
    .addHelpText(
      'after',
      '\nPrints the URLs, the access token, the inbox path and a curl that closes an Opportunity on\n' +
        'stderr, then one line per Opportunity closed and per order number written back.\n' +
        'The data folder keeps relay.db, erp.db and emulator.db; `sf-relay reset` empties it.',
    )
    .action((options: DevOptions) =>
      run(async () => {
        const { startDev } = await import('../dev/index.ts');
        const logger = createLogger(options.logLevel, pino.destination(1));
        const dev = await startDev({
          dataDir: options.dataDir,
          port: options.port,
          emulatorPort: options.emulatorPort,
          erpPort: options.erpPort,
          logger,
          onActivity: (line) => process.stderr.write(`${line}\n`),
        });
        process.stderr.write(banner(dev, options.dataDir));
        // One machine-readable line for scripts and tests, like the other servers' ready lines.
        process.stdout.write(
          `${JSON.stringify({
            event: 'dev.listening',
            url: dev.urls.relay,
            emulatorUrl: dev.urls.emulator,
            erpUrl: dev.urls.erp,
            accessToken: dev.accessToken,
            organizationId: dev.organizationId,
            db: dev.db,
            dataDir: dev.dataDir,
            pid: process.pid,
          })}\n`,
        );
        const signal = await untilStopSignal();
        process.stderr.write(`\n${signal}: stopping the emulator, the relay and the ERP…\n`);
        await dev.close();
        process.stderr.write('stopped; nothing of sf-relay dev is listening any more\n');
        return 0;
      }),
    );
}

function banner(dev: RunningDev, dataDirOption: string): string {
  const api = `${dev.urls.emulator}/services/data/v60.0/sobjects/Opportunity`;
  return [
    `sf-relay dev: the whole loop on this machine (process ${process.pid}; Ctrl-C stops everything)`,
    `  relay         ${dev.urls.relay}/soap/outbound`,
    `  dashboard     ${dev.urls.relay}/dashboard`,
    `  emulator      ${dev.urls.emulator} (org ${dev.organizationId})`,
    `  access token  ${dev.accessToken}`,
    `  ERP           ${dev.urls.erp}/orders`,
    `  inbox         ${dev.db} (sf-relay messages --db ${dev.db})`,
    `  data folder   ${dataDirOption} (${dev.dataDir}; sf-relay reset --data-dir ${dataDirOption} empties it)`,
    '',
    'Close an Opportunity, then read its order number back:',
    `  TOKEN='${dev.accessToken}'`,
    `  curl -s -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \\`,
    `    -d '{"Name":"Acme Fibre","StageName":"Closed Won","CloseDate":"2026-12-15"}' ${api}`,
    `  curl -s -H "Authorization: Bearer $TOKEN" "${api}/<the id it returned>?fields=Order_Number__c,Order_Status__c"`,
    '',
    '',
  ].join('\n');
}
