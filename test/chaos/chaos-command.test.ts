import { existsSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openInbox } from '../../src/inbox/index.ts';
import { opportunityId, opportunityNotification, outboundMessage } from '../inbox/messages.ts';
import { runCli } from '../support/relay-process.ts';
import { makeTempDir } from '../support/temp-dir.ts';

describe('sf-relay chaos, the command', () => {
  it('fails with exit 1, the seed and the reason when the run is not quiet by the deadline, keeping its logs', async () => {
    const run = await runCli(
      ['chaos', '--count', '300', '--kills', '0', '--seed', '77', '--deadline', '1', '--json'],
      {},
      180_000,
    );
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as { ok: boolean; closed: number };
    expect(report).toMatchObject({ ok: false, closed: 300 });
    expect(run.stderr).toContain('not quiet after 1 s');
    expect(run.stderr).toContain('reproduce: sf-relay chaos --seed 77');
    const kept = /logs kept in (\S+)/.exec(run.stderr)?.[1];
    expect(kept).toBeDefined();
    expect(existsSync(`${kept}/listener.log`)).toBe(true);
    rmSync(kept ?? '', { recursive: true, force: true });
  }, 180_000);

  it('refuses an inbox that already holds notifications, which would be taken for duplicates', async () => {
    const dir = makeTempDir();
    try {
      const db = `sqlite:${dir.file('relay.db')}`;
      const inbox = await openInbox(db);
      await inbox.store(outboundMessage([opportunityNotification(opportunityId(1))]));
      await inbox.close();
      const run = await runCli(['chaos', '--count', '5', '--kills', '0', '--db', db], {}, 120_000);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/already holds 1 notifications; a chaos run needs an empty one/);
      expect(run.stderr).toMatch(/seed \d+/);
      const kept = /logs kept in ([^)\s]+)/.exec(run.stderr)?.[1];
      if (kept !== undefined) rmSync(kept, { recursive: true, force: true });
    } finally {
      dir.remove();
    }
  }, 120_000);

  it.each([
    [['--erp-errors', '1.5'], /--erp-errors.*fraction from 0 to 1/],
    [['--count', '0'], /--count.*above 0/],
    [['--kills', '-1'], /--kills/],
    [['--db-restarts', '1', '--db', 'sqlite:x.db'], /--db-restarts .*leave out --db/],
    [['--disk-faults', '1', '--db', 'postgres://u@127.0.0.1/db'], /--disk-faults .*SQLite inbox/],
    [['--disk-faults', '1', '--db-restarts', '1'], /--disk-faults .*no --db-restarts/],
    [['--erp-outage', 'soon'], /--erp-outage/],
  ])('refuses %j with exit 2, naming the option', async (args, message) => {
    const run = await runCli(['chaos', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('documents itself in --help', async () => {
    const run = await runCli(['chaos', '--help']);
    expect(run.code).toBe(0);
    for (const option of [
      '--count',
      '--kills',
      '--erp-errors',
      '--erp-outage',
      '--db-restarts',
      '--disk-faults',
      '--sf-errors',
      '--db',
      '--seed',
      '--json',
    ])
      expect(run.stdout).toContain(option);
  });
});
