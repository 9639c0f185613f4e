import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { isAck, postSoap, SAMPLE_ORG_ID } from '../support/relay.ts';
import {
  BIN,
  killRelay,
  runCli,
  spawnRelay,
  spawnServer,
  type RelayProcess,
} from '../support/relay-process.ts';
import { waitFor } from '../support/wait-for.ts';
import { sample } from '../support/samples.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

let dir: TempDir | undefined;
let relay: RelayProcess | undefined;
afterEach(async () => {
  await killRelay(relay);
  relay = undefined;
  dir?.remove();
  dir = undefined;
});

const ALLOW = {
  SFRELAY_ALLOWED_ORGANIZATION_IDS: SAMPLE_ORG_ID,
  SFRELAY_ROLE: 'listener',
};

// Several tests spawn sf-relay two or three times (tsx compiles on each start): room for a busy machine.
describe('sf-relay command line', { timeout: 120_000 }, () => {
  it.each([[[]], [['start']], [['messages']], [['migrate']]])(
    'answers --help for %j',
    async (command) => {
      const run = await runCli([...command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Usage: sf-relay/);
    },
  );

  it('refuses to start with no allowed organisation, naming the option', async () => {
    const run = await runCli(['start', '--port', '0'], { SFRELAY_ALLOWED_ORGANIZATION_IDS: '' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('allowedOrganizationIds');
    expect(run.stderr).toContain('SFRELAY_ALLOWED_ORGANIZATION_IDS');
  });

  it('refuses to run a worker with no way to call Salesforce back, and a bad port, with exit code 2', async () => {
    const role = await runCli(['start', '--role', 'worker'], ALLOW);
    expect(role.code).toBe(2);
    expect(role.stderr).toMatch(/salesforce\.oauth/);
    expect(role.stderr).toMatch(/--role listener/);
    const port = await runCli(['start', '--port', '99999'], ALLOW);
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/--port/);
  });

  it('names the key and the file when the config file is wrong', async () => {
    dir = makeTempDir();
    const file = dir.file('relay.yaml');
    writeFileSync(
      file,
      'port: 8080\nallowedOrganizationIds: [00D5g000004XyZ1]\nlimits:\n  maxDepht: 10\n',
    );
    const run = await runCli(['start', '--config', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('limits.maxDepht: unknown setting');
    expect(run.stderr).toContain(file);
  });

  it('lists stored notifications without ever printing a SessionId, and stops cleanly on SIGTERM', async () => {
    dir = makeTempDir();
    const db = `sqlite:${dir.file('relay.db')}`;
    // Legacy mode: only then is a SessionId stored at all.
    relay = await spawnRelay(['--db', db], {
      ...ALLOW,
      SFRELAY_SALESFORCE_USE_MESSAGE_SESSION_ID: 'true',
    });
    expect(
      isAck(await postSoap(`${relay.url}/soap/outbound`, sample('opportunity-closed-won.xml'))),
    ).toBe(true);
    expect(
      isAck(
        await postSoap(`${relay.url}/soap/outbound`, sample('batch-of-three-other-prefixes.xml')),
      ),
    ).toBe(true);

    const json = await runCli(['messages', '--db', db, '--json']);
    expect(json.code).toBe(0);
    const listing = JSON.parse(json.stdout) as {
      counts: Record<string, number>;
      messages: { id: string; hasSessionId: boolean }[];
    };
    expect(listing.counts.received).toBe(4);
    expect(listing.messages.map((m) => m.id)).toContain('04l5g00000AbCdEAAV');
    expect(listing.messages.every((m) => m.hasSessionId)).toBe(true);

    const human = await runCli(['messages', '--db', db, '--state', 'received', '--limit', '2']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/NOTIFICATION\s+STATE/);
    expect(human.stdout.match(/04l5g00000AbCd/g)).toHaveLength(2);
    for (const output of [json.stdout, human.stdout, relay.output()]) {
      expect(output).not.toContain('SessionToken');
      expect(output).not.toContain('Another.Fake.Token');
    }

    relay.child.kill('SIGTERM');
    expect(await relay.exited).toBe(0);
    expect(relay.output()).toContain('relay.stopped');
  });

  it('refuses an unknown state and a database that does not exist, changing nothing', async () => {
    dir = makeTempDir();
    const missing = dir.file('missing.db');
    const state = await runCli(['messages', '--db', `sqlite:${missing}`, '--state', 'lost']);
    expect(state.code).toBe(2);
    expect(state.stderr).toMatch(/received, processing, retry_wait, done, dead/);
    const absent = await runCli(['messages', '--db', `sqlite:${missing}`]);
    expect(absent.code).toBe(1);
    expect(absent.stderr).toContain(`no inbox at ${missing}`);
    expect(absent.stderr).toContain('or pass --db');
    expect(existsSync(missing)).toBe(false);
  });

  it('migrates a new database once and reports it up to date after', async () => {
    dir = makeTempDir();
    const db = `sqlite:${dir.file('relay.db')}`;
    const first = await runCli(['migrate', '--db', db]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied migration\(s\) 1/);
    const second = await runCli(['migrate', '--db', db]);
    expect(second.stdout).toMatch(/up to date/);
    const unknown = await runCli(['migrate', '--db', 'mysql://127.0.0.1/x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/use sqlite:PATH or postgres:/);
  });

  it('a reader that stops reading (sf-relay … | head) ends the command quietly, not with a stack trace', async () => {
    const child = spawn(process.execPath, [BIN, 'chaos', '--help'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  });

  it('an unreachable PostgreSQL server is exit 1 with where and why, never the password', async () => {
    const run = await runCli(['migrate', '--db', 'postgres://relay:hunter2@127.0.0.1:1/relay']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('127.0.0.1:1');
    expect(run.stderr).toContain('ECONNREFUSED');
    expect(run.stderr).not.toContain('hunter2');
  });
});

describe('sf-relay emulator', () => {
  it('prints its instance URL, org id and a working access token, and stops on SIGTERM', async () => {
    const emulator = await spawnServer(['emulator', '--port', '0'], {}, 'emulator.listening');
    relay = emulator;
    await waitFor(() => /access token\s+\S+/.test(emulator.output()), 'the banner');
    const output = emulator.output();
    expect(output).toContain(`instance URL   ${emulator.url}`);
    expect(output).toContain('org id         00D5g000004XyZ1EAK');
    const token = /access token\s+(\S+)/.exec(output)?.[1];
    const response = await fetch(`${emulator.url}/services/data/v60.0/sobjects`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    expect(output).toMatch(
      /outbound\s+Opportunity_Closed_Won .*http:\/\/127\.0\.0\.1:8080\/soap\/outbound/,
    );
    emulator.child.kill('SIGTERM');
    expect(await emulator.exited).toBe(0);
  });

  it('names the bad setting in its config file', async () => {
    dir = makeTempDir();
    const file = dir.file('emulator.yaml');
    writeFileSync(file, 'outboundMessages:\n  - name: Bad\n    endpointUrl: ftp://x\n');
    const run = await runCli(['emulator', '--config', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('outboundMessages.0.endpointUrl');
  });
});
