import type { Command } from 'commander';
import { pino } from 'pino';
import type { DemoProgress, DemoReport } from '../demo/index.ts';
import { createLogger, renderLabelledRows } from '../shared/index.ts';
import { parsePort, parsePositiveInt } from './options.ts';
import { redactUrlCredentials } from '../config/index.ts';
import { untilStopSignal } from './stop-signal.ts';

interface DemoOptions {
  count: number;
  port?: number;
  db?: string;
  keepRunning?: boolean;
  json?: boolean;
  deadline: number;
}

export function registerDemoCommand(
  program: Command,
  run: (work: () => Promise<number>) => void,
): void {
  program
    .command('demo')
    .description(
      'run the whole loop on this machine: emulator → relay → ERP → callback, and report what happened',
    )
    .option('-n, --count <n>', 'Opportunities to close', parsePositiveInt, 200)
    .option('-p, --port <n>', 'relay port (default: any free port)', parsePort)
    .option('--db <url>', 'inbox database (default: a fresh SQLite file in a temp folder)')
    .option('--deadline <seconds>', 'give up waiting after this long', parsePositiveInt, 120)
    .option(
      '--keep-running',
      'leave the emulator, relay and ERP running afterwards (Ctrl-C stops them)',
    )
    .option('--json', 'print one JSON object on stdout instead of the table')
    .addHelpText(
      'after',
      '\nExit code 0 only when every Opportunity has exactly one ERP order and its number on the record.',
    )
    .action((options: DemoOptions) =>
      run(async () => {
        const { runDemo } = await import('../demo/index.ts');
        // stdout carries only the report; logs (errors only) and progress go to stderr.
        const logger = createLogger('error', pino.destination(2));
        const progress = progressPrinter();
        const demo = await runDemo({
          count: options.count,
          port: options.port ?? 0,
          db: options.db,
          deadlineMs: options.deadline * 1000,
          logger,
          onProgress: progress.update,
        });
        progress.done();
        process.stdout.write(
          options.json ? `${JSON.stringify(demo.report)}\n` : renderReport(demo.report),
        );
        if (options.keepRunning) {
          process.stderr.write(
            `\nstill running (process ${process.pid}; Ctrl-C stops it${options.db === undefined ? ' and removes the temp folder' : ''}):\n` +
              renderLabelledRows([
                ['dashboard', `${demo.urls.relay}/dashboard`],
                ['relay', demo.urls.relay],
                ['emulator', demo.urls.emulator],
                ['access token', demo.accessToken],
                ['ERP', demo.urls.erp],
                [
                  'inbox',
                  `${redactUrlCredentials(demo.db)} (sf-relay messages --db ${redactUrlCredentials(demo.db)})`,
                ],
              ]) +
              '\n',
          );
          await untilStopSignal();
        }
        await demo.stop();
        return demo.report.ok ? 0 : 1;
      }),
    );
}

function progressPrinter(): { update: (p: DemoProgress) => void; done: () => void } {
  const tty = process.stderr.isTTY === true;
  let last = '';
  return {
    update: (p) => {
      const bar = (n: number): string => {
        const width = 20;
        const filled = p.total === 0 ? width : Math.round((n / p.total) * width);
        return `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${String(n).padStart(String(p.total).length)}`;
      };
      const line = `closed ${bar(p.closed)}  acked ${bar(p.acked)}  ordered ${bar(p.ordered)}  called back ${bar(p.calledBack)}`;
      if (line === last) return;
      last = line;
      process.stderr.write(tty ? `\r${line}` : `${line}\n`);
    },
    done: () => {
      if (tty) process.stderr.write('\n');
    },
  };
}

function renderReport(report: DemoReport): string {
  const rows: [string, string][] = [
    ['Opportunities closed', String(report.closed)],
    ['notifications received', String(report.notifications)],
    ['duplicates absorbed', String(report.duplicates)],
    ['ERP orders', String(report.orders)],
    ['callbacks', String(report.callbacks)],
    ['lost', String(report.lost)],
    [
      'end to end p50 / p95 / p99',
      `${report.e2eMs.p50} / ${report.e2eMs.p95} / ${report.e2eMs.p99} ms`,
    ],
    ['result', report.ok ? 'ok: every Opportunity has exactly one order and its number' : 'NOT OK'],
  ];
  return `\n${renderLabelledRows(rows)}\n`;
}
