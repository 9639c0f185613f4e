import type { Command } from 'commander';
import { createLogger } from '../shared/index.ts';
import { withPortHint } from '../process/index.ts';
import { parsePort } from './options.ts';

interface ErpOptions {
  port: number;
  host: string;
  db: string;
}

export function registerErpCommand(
  program: Command,
  run: (work: () => Promise<number>) => void,
): void {
  program
    .command('erp')
    .description(
      'run the reference ERP: idempotent order creation (POST /orders with an Idempotency-Key) over its own SQLite file, with fault injection for tests',
    )
    .option('-p, --port <n>', 'port to listen on (0 picks a free one)', parsePort, 8090)
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--db <file>', 'SQLite file keeping the orders across restarts', './data/erp.db')
    .addHelpText(
      'after',
      '\nAPI: POST /orders, GET /orders/:number, GET /orders?opportunityId=ID&limit=N&offset=N, GET /healthz.\n' +
        'Faults: PUT /erp/faults {"errorRate":0.2,"failNext":3,"latencyMs":500,"dropAfterCommitNext":1,\n' +
        '"dropRate":0.1,"timeoutRate":0.1,"timeoutMs":15000,"seed":1}, GET /erp/faults, DELETE /erp/faults.\n' +
        'Logs JSON lines on stdout; stops on SIGINT or SIGTERM.',
    )
    .action((options: ErpOptions) =>
      run(async () => {
        const { startErp } = await import('../erp-service/index.ts');
        const logger = createLogger();
        const erp = await withPortHint(
          {
            service: 'the reference ERP',
            host: options.host,
            port: options.port,
            choose: '--port N (0 picks a free one)',
          },
          () => startErp({ port: options.port, host: options.host, dbPath: options.db, logger }),
        );
        logger.info(
          { event: 'erp.listening', url: erp.url, db: options.db, pid: process.pid },
          'sf-relay reference ERP listening',
        );
        await new Promise<void>((resolve, reject) => {
          const stop = (): void => void erp.close().then(resolve, reject);
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
        logger.info({ event: 'erp.stopped' }, 'sf-relay reference ERP stopped');
        return 0;
      }),
    );
}
