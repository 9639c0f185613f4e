import type { Command } from 'commander';
import { loadConfig } from '../config/index.ts';
import {
  MAX_LIST_LIMIT,
  MESSAGE_STATES,
  openInbox,
  type InboxMessage,
  type MessageState,
} from '../inbox/index.ts';
import { missingInbox } from './missing-inbox.ts';
import { DB_OPTION_HELP, parseLimit, parseState } from './options.ts';

interface MessagesOptions {
  config?: string;
  db?: string;
  state?: MessageState;
  record?: string;
  limit?: number;
  json?: boolean;
}

export function registerMessagesCommand(
  program: Command,
  run: (work: () => Promise<number>) => void,
): void {
  program
    .command('messages')
    .description('list stored notifications, newest first (never shows a SessionId)')
    .option('-c, --config <file>', 'config file to take the database from')
    .option('--db <url>', DB_OPTION_HELP)
    .option('--state <state>', `only this state: ${MESSAGE_STATES.join(', ')}`, parseState)
    .option('--record <id>', 'only notifications for this record id')
    .option(
      '--limit <n>',
      `most rows to show (default 100, at most ${MAX_LIST_LIMIT})`,
      parseLimit(MAX_LIST_LIMIT),
    )
    .option('--json', 'one JSON object on stdout: {"counts":{…},"messages":[…]}')
    .action((options: MessagesOptions) =>
      run(async () => {
        const config = loadConfig({
          file: options.config,
          env: process.env,
          overrides: { db: options.db },
          overrideNames: { db: '--db' },
        });
        const missing = missingInbox(config.db, 'messages');
        if (missing !== undefined) {
          process.stderr.write(missing);
          return 1;
        }
        const inbox = await openInbox(config.db, { readonly: true });
        try {
          const [messages, counts] = await Promise.all([
            inbox.list({ state: options.state, recordId: options.record, limit: options.limit }),
            inbox.countByState(),
          ]);
          if (options.json) {
            process.stdout.write(`${JSON.stringify({ counts, messages })}\n`);
          } else {
            process.stdout.write(renderTable(messages));
            const summary = Object.entries(counts)
              .map(([state, count]) => `${state} ${count}`)
              .join(' · ');
            process.stdout.write(`\n${summary}\n`);
          }
          return 0;
        } finally {
          await inbox.close();
        }
      }),
    );
}

function renderTable(messages: readonly InboxMessage[]): string {
  if (messages.length === 0) return 'no notifications match\n';
  const header = [
    'NOTIFICATION',
    'STATE',
    'TRIES',
    'OBJECT',
    'RECORD',
    'RECEIVED',
    'NEXT ATTEMPT',
    'LAST ERROR',
  ];
  const rows = messages.map((m) => [
    m.id,
    m.state,
    String(m.attempts),
    m.objectType ?? '-',
    m.recordId ?? '-',
    m.receivedAt.toISOString(),
    m.state === 'retry_wait' && m.nextAttemptAt ? m.nextAttemptAt.toISOString() : '-',
    oneLine(m.lastError ?? '-', 60),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const format = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[format(header), ...rows.map(format)].join('\n')}\n`;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
