import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isListening,
  killIfRunning,
  runCliIn,
  spawnDevIn,
  type DevProcess,
} from '../support/cli-in-folder.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';
import { waitFor } from '../support/wait-for.ts';

let dir: TempDir | undefined;
let dev: DevProcess | undefined;
afterEach(async () => {
  await killIfRunning(dev);
  dev = undefined;
  dir?.remove();
  dir = undefined;
});

const FREE_PORTS = ['--port', '0', '--emulator-port', '0', '--erp-port', '0'];

/** What a newcomer does with the curl dev prints: create an Opportunity already Closed Won. */
async function closeOpportunity(running: DevProcess, name: string): Promise<string> {
  const reply = await fetch(
    `${running.ready.emulatorUrl}/services/data/v60.0/sobjects/Opportunity`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${running.ready.accessToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ Name: name, StageName: 'Closed Won', CloseDate: '2026-12-15' }),
    },
  );
  expect(reply.status).toBe(201);
  return ((await reply.json()) as { id: string }).id;
}

function orderNumberOf(running: DevProcess, id: string): Promise<string> {
  return waitFor(
    async () => {
      const reply = await fetch(
        `${running.ready.emulatorUrl}/services/data/v60.0/sobjects/Opportunity/${id}?fields=Order_Number__c`,
        { headers: { authorization: `Bearer ${running.ready.accessToken}` } },
      );
      const record = (await reply.json()) as { Order_Number__c?: string | null };
      return record.Order_Number__c ?? undefined;
    },
    `the order number on ${id}\n${running.output()}`,
    60_000,
    100,
  );
}

async function interrupt(running: DevProcess): Promise<void> {
  running.child.kill('SIGINT');
  expect(await running.exited).toBe(0);
  for (const url of [running.ready.url, running.ready.emulatorUrl, running.ready.erpUrl])
    expect(await isListening(url), `${url} still listening`).toBe(false);
}

describe('the first ten minutes', () => {
  it('init → check names the fixes → dev → order → Ctrl-C → dev again → a new order → reset', async () => {
    dir = makeTempDir('sf-relay-newcomer-');
    const cwd = dir.path;

    const init = await runCliIn(cwd, ['init']);
    expect(init.code, init.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'relay.yaml'), 'utf8')).toContain('SFRELAY_PORT');
    expect(existsSync(join(cwd, '.env.example'))).toBe(true);

    const check = await runCliIn(cwd, ['check', '--config', 'relay.yaml']);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/start\s+FAIL\s+allowedOrganizationIds is empty/);
    expect(check.stdout).toContain('SFRELAY_ALLOWED_ORGANIZATION_IDS=00D');
    expect(check.stdout).toContain('configure salesforce.oauth');
    expect(check.stdout).toMatch(/database\s+ok/);

    dev = await spawnDevIn(cwd, FREE_PORTS);
    expect(dev.output()).toContain(`access token  ${dev.ready.accessToken}`);
    expect(dev.output()).toContain(`inbox         ${dev.ready.db}`);
    expect(dev.output()).toContain(`${dev.ready.url}/dashboard`);
    expect(dev.output()).toContain('curl -s -H "Authorization: Bearer $TOKEN"');
    const first = await closeOpportunity(dev, 'Acme Fibre');
    const firstOrder = await orderNumberOf(dev, first);
    expect(firstOrder).toMatch(/^SO-\d+$/);
    await interrupt(dev);

    // The second run: same data folder, so the inbox and the ERP remember the first run.
    dev = await spawnDevIn(cwd, FREE_PORTS);
    const second = await closeOpportunity(dev, 'Globex Fibre');
    expect(second).not.toBe(first);
    const secondOrder = await orderNumberOf(dev, second);
    expect(secondOrder).not.toBe(firstOrder);
    const messages = await runCliIn(cwd, ['messages', '--json']);
    expect(messages.code, messages.stderr).toBe(0);
    const listed = JSON.parse(messages.stdout) as {
      messages: { recordId: string; state: string }[];
    };
    expect(listed.messages.map((m) => [m.recordId, m.state]).sort()).toEqual(
      [
        [first, 'done'],
        [second, 'done'],
      ].sort(),
    );
    const busy = await runCliIn(cwd, ['reset', '--yes']);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain(`sf-relay dev (process ${dev.child.pid ?? ''}) is using ./data`);
    await interrupt(dev);

    const reset = await runCliIn(cwd, ['reset', '--yes']);
    expect(reset.code, reset.stderr).toBe(0);
    expect(existsSync(join(cwd, 'data'))).toBe(false);
    expect(existsSync(join(cwd, 'relay.yaml'))).toBe(true);
  }, 360_000);
});
