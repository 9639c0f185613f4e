import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';
import { waitFor } from '../support/wait-for.ts';
import { orderRequest, postOrder } from './erp-fixture.ts';

const FIXTURE = resolve(dirname(fileURLToPath(import.meta.url)), 'erp-cli-fixture.ts');

let dir: TempDir | undefined;
afterEach(() => {
  dir?.remove();
  dir = undefined;
});

function erpCli(args: readonly string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

describe('sf-relay erp', () => {
  it('serves orders from the --db file, logs where it listens and stops cleanly on SIGTERM', async () => {
    dir = makeTempDir('sf-relay-erp-cli-');
    const db = dir.file('nested/erp.db');
    const cli = erpCli(['erp', '--port', '0', '--db', db]);
    try {
      const url = await waitFor(
        () => /"event":"erp\.listening","url":"([^"]+)"/.exec(cli.output())?.[1],
        'the erp to listen',
      );
      expect((await postOrder(url, orderRequest(), 'key-1')).status).toBe(201);
      expect(existsSync(db)).toBe(true);
    } finally {
      cli.child.kill('SIGTERM');
    }
    expect(await cli.exited).toBe(0);
  });

  it('describes its options in --help', async () => {
    const cli = erpCli(['erp', '--help']);
    await cli.exited;
    expect(cli.output()).toMatch(/--port/);
    expect(cli.output()).toMatch(/--db <file>.*\n?.*\.\/data\/erp\.db/);
    expect(cli.output()).toContain('/erp/faults');
  });
});
