import { readFileSync, writeFileSync } from 'node:fs';
import { countRows, SAMPLE_ORG_ID } from '../support/relay.ts';
import { killRelay, spawnRelay, type RelayProcess } from '../support/relay-process.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

/** A listener in its own OS process, so an attack that crashed or bloated it would show. */
export interface RelayUnderAttack {
  readonly url: string;
  readonly process: RelayProcess;
  readonly dir: TempDir;
  /** Notifications in the inbox file, read through a separate connection. */
  rowCount(): number;
  /** Resident memory of the relay process (Linux /proc). */
  rssBytes(): number;
  alive(): boolean;
  stop(): Promise<void>;
}

/** `settings`: more of the relay's config file (sender checks, TLS), beside `limits`. */
export async function startRelayUnderAttack(
  limits: Record<string, number> = {},
  settings: Record<string, unknown> = {},
): Promise<RelayUnderAttack> {
  const dir = makeTempDir('sf-relay-hostile-');
  const dbPath = dir.file('relay.db');
  const config = dir.file('relay.json');
  writeFileSync(config, JSON.stringify({ logLevel: 'info', ...settings, limits }));
  const relay = await spawnRelay(
    ['--role', 'listener', '--db', `sqlite:${dbPath}`, '--config', config],
    {
      SFRELAY_ALLOWED_ORGANIZATION_IDS: SAMPLE_ORG_ID,
    },
  );
  const pid = relay.child.pid ?? 0;
  return {
    url: relay.url,
    process: relay,
    dir,
    rowCount: () => countRows(dbPath),
    rssBytes: () => {
      const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      return Number(kb) * 1024;
    },
    alive: () => relay.child.exitCode === null && relay.child.signalCode === null,
    stop: async () => {
      await killRelay(relay);
      dir.remove();
    },
  };
}
