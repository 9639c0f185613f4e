import type { Command } from 'commander';
import {
  MAX_LIST_LIMIT,
  MESSAGE_STATES,
  type InboxMessage,
  type MessageState,
} from '../inbox/index.ts';
import { withInbox, withInboxOptions, type InboxFlags } from './inbox-command.ts';
import { parseLimit, parseState } from './options.ts';

interface MessagesOptions extends InboxFlags {
  state?: MessageState;
  record?: string;
  limit?: number;
  json?: boolean;
}

export function registerMessagesCommand(
  program: Command,
  run: (work: () => Promise<number>) => void,
): void {
  withInboxOptions(
    program
      .command('messages')
      .description('list stored notifications, newest first (never shows a SessionId)'),
  )
    .option('--state <state>', `only this state: ${MESSAGE_STATES.join(', ')}`, parseState)
    .option('--record <id>', 'only notifications for this record id')
    .option(
      '--limit <n>',
      `most rows to show (default 100, at most ${MAX_LIST_LIMIT})`,
      parseLimit(MAX_LIST_LIMIT),
    )
    .option('--json', 'one JSON object on stdout: {"counts":{…},"messages":[…]}')
    .action((options: MessagesOptions) =>
      run(() =>
        withInbox('messages', options, { readonly: true }, async (inbox) => {
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
        }),
      ),
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
