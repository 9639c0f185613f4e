import type { Command } from 'commander';
import { openInbox, type Inbox, type OpenInboxOptions } from '../inbox/index.ts';
import { relayConfigFromFlags } from './config-from-flags.ts';
import { missingInbox } from './missing-inbox.ts';
import { DB_OPTION_HELP } from './options.ts';

/** The flags of a command that works on the stored notifications (messages, replay, purge). */
export interface InboxFlags {
  readonly config?: string;
  readonly db?: string;
}

/** Adds `-c, --config` and `--db` to an inbox command, worded alike everywhere. */
export function withInboxOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'config file to take the database from')
    .option('--db <url>', DB_OPTION_HELP);
}

/**
 * Runs `work` on the inbox the flags name (`--db`, else the config file or `SFRELAY_DB`, else
 * the default) and closes it after. A SQLite inbox that does not exist is exit code 1 with the
 * path, rather than created empty (which would answer "nothing here" for a wrong path).
 */
export async function withInbox(
  command: string,
  flags: InboxFlags,
  options: Pick<OpenInboxOptions, 'readonly'>,
  work: (inbox: Inbox, db: string) => Promise<number>,
): Promise<number> {
  const config = relayConfigFromFlags(flags.config, { db: ['--db', flags.db] });
  const missing = missingInbox(config.db, command);
  if (missing !== undefined) {
    process.stderr.write(missing);
    return 1;
  }
  const inbox = await openInbox(config.db, options);
  try {
    return await work(inbox, config.db);
  } finally {
    await inbox.close();
  }
}
