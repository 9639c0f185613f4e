import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/config/index.ts';
import { migrateInbox, type Inbox } from '../../src/inbox/index.ts';
import { relayConfigFromFlags } from '../../src/cli/config-from-flags.ts';
import { withInbox } from '../../src/cli/inbox-command.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

let dir: TempDir | undefined;
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  dir?.remove();
  dir = undefined;
});

describe('relayConfigFromFlags', () => {
  it('a given flag wins over the environment; an absent one leaves it', () => {
    vi.stubEnv('SFRELAY_PORT', '9000');
    vi.stubEnv('SFRELAY_HOST', '127.0.0.2');
    const config = relayConfigFromFlags(undefined, {
      port: ['--port', 9100],
      host: ['--host', undefined],
    });
    expect(config.port).toBe(9100);
    expect(config.host).toBe('127.0.0.2');
  });

  it('a bad value is reported under the flag the user typed', () => {
    expect(() => relayConfigFromFlags(undefined, { role: ['--role', 'janitor'] })).toThrow(
      ConfigError,
    );
    expect(() => relayConfigFromFlags(undefined, { role: ['--role', 'janitor'] })).toThrow(
      /command-line option --role/,
    );
  });
});

describe('withInbox', () => {
  it('refuses a SQLite inbox that does not exist, with exit code 1, and does not create it', async () => {
    dir = makeTempDir();
    const path = dir.file('missing.db');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const work = vi.fn(async () => 0);
    expect(await withInbox('purge', { db: `sqlite:${path}` }, {}, work)).toBe(1);
    expect(work).not.toHaveBeenCalled();
    expect(String(stderr.mock.calls[0]?.[0])).toContain(`sf-relay purge: no inbox at ${path}`);
    expect(existsSync(path)).toBe(false);
  });

  it('runs the work on the inbox --db names and closes it after, also when the work throws', async () => {
    dir = makeTempDir();
    const db = `sqlite:${dir.file('relay.db')}`;
    await migrateInbox(db);
    const used: Inbox[] = [];
    const code = await withInbox('messages', { db }, { readonly: true }, async (inbox, named) => {
      used.push(inbox);
      expect(named).toBe(db);
      expect(await inbox.countByState()).toMatchObject({ received: 0 });
      return 0;
    });
    expect(code).toBe(0);
    await expect(
      withInbox('replay', { db }, {}, async (inbox) => {
        used.push(inbox);
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');

    expect(used).toHaveLength(2);
    // A closed inbox refuses further work: both were closed on the way out.
    for (const inbox of used) await expect(inbox.countByState()).rejects.toThrow();
  });
});
