import type { Command } from 'commander';
import { withInbox, withInboxOptions, type InboxFlags } from './inbox-command.ts';

interface ReplayOptions extends InboxFlags {
  dead?: boolean;
  held?: boolean;
}

export function registerReplayCommand(
  program: Command,
  run: (work: () => Promise<number>) => void,
): void {
  withInboxOptions(
    program
      .command('replay')
      .description(
        're-drive dead or held notifications: they become due again for the worker, with a fresh budget of attempts',
      ),
  )
    .argument('[id]', 'the notification id (04l…) to replay')
    .option('--dead', 'replay every dead notification')
    .option('--held', 'replay every held notification (after fixing the WSDL or the contract)')
    .addHelpText(
      'after',
      '\nExamples:\n  sf-relay replay 04l5g00000AbCdEAAV\n  sf-relay replay --dead\n  sf-relay replay --held',
    )
    .action((id: string | undefined, options: ReplayOptions) =>
      run(async () => {
        const picked = [id !== undefined, options.dead === true, options.held === true];
        if (picked.filter(Boolean).length !== 1) {
          process.stderr.write(
            'sf-relay replay: give exactly one of a notification id, --dead or --held (run with --help for usage)\n',
          );
          return 2;
        }
        return withInbox('replay', options, {}, async (inbox, db) => {
          if (id === undefined) {
            const state = options.held === true ? 'held' : 'dead';
            const count = await inbox.replayAll(state);
            process.stdout.write(
              `replayed ${count} ${state} notification${count === 1 ? '' : 's'}\n`,
            );
            return 0;
          }
          if (await inbox.replay(id)) {
            process.stdout.write(`replayed ${id}: due now for the worker\n`);
            return 0;
          }
          const message = await inbox.get(id);
          process.stderr.write(
            message === null
              ? `sf-relay replay: no notification ${id} in ${db}\n`
              : `sf-relay replay: ${id} is ${message.state}, not dead or held; only those are replayed\n`,
          );
          return 1;
        });
      }),
    );
}
