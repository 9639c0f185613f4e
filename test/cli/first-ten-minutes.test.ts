import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startErp, type RunningErp } from '../../src/erp-service/index.ts';
import type { RunningEmulator } from '../../src/emulator/index.ts';
import { createLogger } from '../../src/shared/index.ts';
import { PortUnavailableError, withPortHint } from '../../src/process/listen-error.ts';
import { SF_RELAY_BIN } from '../../src/process/sf-relay-bin.ts';
import { runCliIn } from '../support/cli-in-folder.ts';
import { startTestEmulator } from '../support/emulator.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

let dir: TempDir | undefined;
let held: Server | undefined;
let emulator: RunningEmulator | undefined;
let erp: RunningErp | undefined;
afterEach(async () => {
  await new Promise((resolve) => (held ? held.close(resolve) : resolve(undefined)));
  held = undefined;
  await emulator?.close();
  emulator = undefined;
  await erp?.close();
  erp = undefined;
  dir?.remove();
  dir = undefined;
});

function folder(): string {
  dir ??= makeTempDir('sf-relay-cli-');
  return dir.path;
}

/** A port another process (here: this one) holds, as after a relay left running. */
async function holdPort(): Promise<number> {
  held = createServer();
  const server = held;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

// Each case spawns sf-relay (tsx compiles on start): seconds each, more on a busy machine.
describe('errors a newcomer meets name the fix', { timeout: 180_000 }, () => {
  it('a port in use names the port, says another process holds it, and names the flag', async () => {
    const port = await holdPort();
    const start = await runCliIn(folder(), ['start', '--port', String(port)], {
      SFRELAY_ALLOWED_ORGANIZATION_IDS: '00D5g000004XyZ1',
      SFRELAY_ROLE: 'listener',
    });
    expect(start.code).toBe(1);
    expect(start.stderr).toContain(`the relay cannot listen on 127.0.0.1:${port}`);
    expect(start.stderr).toContain(`another process holds port ${port}`);
    expect(start.stderr).toContain('--port N');
    expect(start.stderr).toContain('[PORT_IN_USE]');

    const dev = await runCliIn(folder(), [
      'dev',
      '--port',
      '0',
      '--erp-port',
      '0',
      '--emulator-port',
      String(port),
    ]);
    expect(dev.code).toBe(1);
    expect(dev.stderr).toContain(`the emulator cannot listen on 127.0.0.1:${port}`);
    expect(dev.stderr).toContain('--emulator-port N');

    const erpRun = await runCliIn(folder(), [
      'erp',
      '--port',
      String(port),
      '--db',
      join(folder(), 'erp.db'),
    ]);
    expect(erpRun.code).toBe(1);
    expect(erpRun.stderr).toContain(`the reference ERP cannot listen on 127.0.0.1:${port}`);
  });

  it('a privileged port says ports under 1024 need privileges, and names the flag', async () => {
    const denied = Object.assign(new Error('listen EACCES: permission denied 127.0.0.1:80'), {
      code: 'EACCES',
      syscall: 'listen',
    });
    const error = await withPortHint(
      { service: 'the relay', host: '127.0.0.1', port: 80, choose: '--port N' },
      () => Promise.reject(denied),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PortUnavailableError);
    expect((error as PortUnavailableError).code).toBe('PORT_FORBIDDEN');
    expect((error as Error).message).toContain(
      'ports under 1024 need root or CAP_NET_BIND_SERVICE',
    );
    expect((error as Error).message).toContain('--port N');
    // A file's EACCES is not a port problem and passes through untouched.
    const fileError = Object.assign(new Error('EACCES'), { code: 'EACCES', syscall: 'open' });
    await expect(
      withPortHint({ service: 'x', host: 'h', port: 1, choose: '' }, () =>
        Promise.reject(fileError),
      ),
    ).rejects.toBe(fileError);
  });

  it('messages and replay with no inbox yet say where they looked and what to do; --limit above 1000 is refused', async () => {
    const none = await runCliIn(folder(), ['messages']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(
      `no inbox at ./data/relay.db (resolved to ${join(folder(), 'data/relay.db')}): start the relay first`,
    );
    expect(none.stderr).toContain('or pass --db');
    const replay = await runCliIn(folder(), ['replay', '--dead']);
    expect(replay.code).toBe(1);
    expect(replay.stderr).toContain('sf-relay replay: no inbox at ./data/relay.db');
    // Looking must not create an empty inbox that would hide the wrong path next time.
    expect(existsSync(join(folder(), 'data'))).toBe(false);
    const limit = await runCliIn(folder(), ['messages', '--limit', '1001']);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('must be at most 1000');
  });

  it('init never overwrites a file, fills --org, and refuses an org id with a wrong checksum naming the right one', async () => {
    const cwd = folder();
    writeFileSync(join(cwd, 'relay.yaml'), 'port: 9999\n');
    const bad = await runCliIn(cwd, ['init', '--org', '00D5g000004XyZ1EAC']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('use 00D5g000004XyZ1EAK');
    const init = await runCliIn(cwd, ['init', '--org', '00D5g000004XyZ1EAK']);
    expect(init.code).toBe(0);
    expect(init.stderr).toContain('kept   relay.yaml (it exists; init never overwrites a file)');
    expect(readFileSync(join(cwd, 'relay.yaml'), 'utf8')).toBe('port: 9999\n');
    expect(readFileSync(join(cwd, '.env.example'), 'utf8')).toContain(
      '\nSFRELAY_ALLOWED_ORGANIZATION_IDS=00D5g000004XyZ1EAK\n',
    );
  });

  it('check lists every invalid setting at once with exit code 2', async () => {
    const cwd = folder();
    writeFileSync(join(cwd, 'relay.yaml'), 'prot: 8080\nworker:\n  concurrency: 0\n');
    const check = await runCliIn(cwd, ['check', '--config', 'relay.yaml'], { SFRELAY_PORT: 'abc' });
    expect(check.code).toBe(2);
    expect(check.stderr).toContain('SFRELAY_PORT must be a port number (0 to 65535), got "abc"');
    expect(check.stderr).toContain('prot: unknown setting: did you mean `port`?');
    expect(check.stderr).toContain('worker.concurrency');
  });

  it('check tries the OAuth token and the ERP: a wrong secret and a stopped ERP fail with the fix, the right ones pass', async () => {
    emulator = await startTestEmulator({ outboundMessages: [] });
    const cwd = folder();
    const config = (secret: string, erpUrl: string): string =>
      [
        `allowedOrganizationIds: [${emulator?.organizationId ?? ''}]`,
        `db: sqlite:${join(cwd, 'relay.db')}`,
        'salesforce:',
        '  oauth:',
        '    flow: client_credentials',
        `    loginUrl: ${emulator?.url ?? ''}`,
        '    clientId: sf-relay-emulator-client',
        `    clientSecret: ${secret}`,
        'erp:',
        `  url: ${erpUrl}`,
        '',
      ].join('\n');
    writeFileSync(join(cwd, 'wrong.yaml'), config('not-the-secret', 'http://127.0.0.1:9'));
    const wrong = await runCliIn(cwd, ['check', '--config', 'wrong.yaml']);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/oauth\s+FAIL\s+.*invalid_client/);
    expect(wrong.stdout).toContain("check salesforce.oauth's loginUrl, clientId and clientSecret");
    expect(wrong.stdout).toMatch(/erp\s+FAIL\s+http:\/\/127\.0\.0\.1:9 does not answer/);
    expect(wrong.stdout).toContain('start the ERP (sf-relay erp runs the reference one)');

    erp = await startErp({ port: 0, dbPath: join(cwd, 'erp.db'), logger: createLogger('silent') });
    writeFileSync(join(cwd, 'right.yaml'), config('sf-relay-emulator-secret', erp.url));
    const right = await runCliIn(cwd, ['check', '--config', 'right.yaml', '--json']);
    expect(right.code, right.stdout).toBe(0);
    const report = JSON.parse(right.stdout) as { ok: boolean; checks: { name: string }[] };
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual([
      'start',
      'database',
      'oauth',
      'erp',
      'tls',
      'senders',
      'wsdl',
    ]);
  });

  it('check says which sender checks are on, and warns that the salesforce IP preset may refuse Hyperforce orgs', async () => {
    const cwd = folder();
    const listener = (extra: string): string =>
      [
        'role: listener',
        'allowedOrganizationIds: [00D5g000004XyZ1EAK]',
        `db: sqlite:${join(cwd, 'relay.db')}`,
        extra,
        '',
      ].join('\n');
    writeFileSync(join(cwd, 'preset.yaml'), listener('allowedSourceIps: [salesforce, 10.0.0.0/8]'));
    const preset = await runCliIn(cwd, ['check', '--config', 'preset.yaml']);
    // A warning passes: the preset is a valid choice, only one to look at.
    expect(preset.code, preset.stdout).toBe(0);
    expect(preset.stdout).toMatch(
      /senders\s+warn\s+checked: source addresses \(allowedSourceIps: salesforce, 10\.0\.0\.0\/8\) — the "salesforce" preset holds the ranges published in 2014-10/,
    );
    expect(preset.stdout).toContain('every Hyperforce org');
    expect(preset.stdout).toContain('all checks passed (1 with a warning)');

    writeFileSync(join(cwd, 'token.yaml'), listener('endpointToken: abcdefghijklmnop1234'));
    const token = await runCliIn(cwd, ['check', '--config', 'token.yaml', '--json']);
    expect(token.code, token.stdout).toBe(0);
    const report = JSON.parse(token.stdout) as { checks: Record<string, unknown>[] };
    expect(report.checks.find((c) => c['name'] === 'senders')).toEqual({
      name: 'senders',
      ok: true,
      detail: 'checked: the endpoint token in the path',
    });
    // Never the token itself.
    expect(token.stdout).not.toContain('abcdefghijklmnop1234');
  });

  it('reset asks first: without a terminal it wants --yes; it refuses while dev runs on the folder', async () => {
    const cwd = folder();
    mkdirSync(join(cwd, 'data'));
    writeFileSync(join(cwd, 'data', 'relay.db'), '');
    const unasked = await runCliIn(cwd, ['reset']);
    expect(unasked.code).toBe(2);
    expect(unasked.stderr).toContain('pass --yes to confirm');
    // A live process (this test runner) in the pid file stands for a running sf-relay dev.
    writeFileSync(join(cwd, 'data', 'dev.pid'), `${process.pid}\n`);
    const busy = await runCliIn(cwd, ['reset', '--yes']);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain(`sf-relay dev (process ${process.pid}) is using ./data`);
    const second = await runCliIn(cwd, [
      'dev',
      '--port',
      '0',
      '--emulator-port',
      '0',
      '--erp-port',
      '0',
    ]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      `sf-relay dev (process ${process.pid}) is already running on ./data`,
    );
    expect(second.stderr).toContain('--data-dir');
  });

  it('runs through a symlink from another folder, as after npm link, whatever tsconfig is there', async () => {
    const cwd = folder();
    mkdirSync(join(cwd, 'bin'));
    symlinkSync(SF_RELAY_BIN, join(cwd, 'bin', 'sf-relay'));
    writeFileSync(
      join(cwd, 'tsconfig.json'),
      '{"compilerOptions":{"module":"commonjs","target":"es5"}}',
    );
    const linked = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      // The symlink itself is executed, through its #!/usr/bin/env node line, as a shell would.
      execFile(join(cwd, 'bin', 'sf-relay'), ['init', '--dir', 'here'], { cwd }, (error, stdout) =>
        error && typeof error.code !== 'number'
          ? reject(error)
          : resolve({ code: error ? Number(error.code) : 0, stdout }),
      );
    });
    expect(linked.code).toBe(0);
    expect(readFileSync(join(cwd, 'here', 'relay.yaml'), 'utf8')).toContain('SFRELAY_PORT');
  });

  it('the top-level --help names the exit codes, the docs and where to start', async () => {
    const help = await runCliIn(folder(), ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(
      'Exit codes: 0 success, 1 the work failed, 2 the command line or the configuration is wrong.',
    );
    expect(help.stdout).toMatch(/Docs: \S+README\.md/);
    expect(help.stdout).toContain('sf-relay dev');
  });
});
