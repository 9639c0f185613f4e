import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchChromium } from '../support/browser.ts';
import { leakedSecrets, startLoop, type Loop } from '../support/loop.ts';
import { waitFor } from '../support/wait-for.ts';

const enabled = browserAvailable();
let browser: Browser | undefined;
let loop: Loop | undefined;

beforeAll(async () => {
  if (enabled) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  if (loop) expect(leakedSecrets(loop)).toEqual([]);
  await loop?.stop();
  loop = undefined;
});

async function erpFaults(l: Loop, method: 'PUT' | 'DELETE', body?: unknown): Promise<void> {
  await fetch(`${l.erp.url}/erp/faults`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe.skipIf(!enabled)('the dashboard in real Chromium', () => {
  it('shows counts rising live, lists a dead letter, and replays it to done', async () => {
    // One try only, so an ERP failure makes a dead letter at once.
    loop = await startLoop({ relay: { worker: { maxAttempts: 1 } } });
    const page = await (browser as Browser).newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(`${loop.relay.url}/dashboard`);
    const done = page.locator('.count.done b');
    await page.waitForFunction(() =>
      document.getElementById('status')?.textContent?.startsWith('live'),
    );
    expect(await done.textContent()).toBe('0');

    const ids = Array.from({ length: 3 }, () => loop?.openOpportunity() ?? '');
    for (const id of ids) loop.close(id);
    // Without reloading: the page follows /api/events.
    await page.waitForFunction(
      () => document.querySelector('.count.done b')?.textContent === '3',
      undefined,
      { timeout: 15_000 },
    );

    await erpFaults(loop, 'PUT', { failNext: 1 });
    const doomed = loop.openOpportunity();
    loop.close(doomed);
    await waitFor(
      async () => (await loop?.relay.inbox.countByState())?.dead === 1,
      'the dead letter',
    );
    const deadRow = page.locator('#dead tr', { hasText: doomed });
    await deadRow.waitFor({ timeout: 15_000 });
    expect(await deadRow.textContent()).toMatch(/ERP_UNAVAILABLE/);
    if (process.env.SFRELAY_SCREENSHOT)
      await page.screenshot({ path: process.env.SFRELAY_SCREENSHOT, fullPage: true });

    await erpFaults(loop, 'DELETE');
    await deadRow.getByRole('button', { name: 'Replay' }).click();
    await page.waitForFunction(
      () => document.querySelector('.count.done b')?.textContent === '4',
      undefined,
      { timeout: 15_000 },
    );
    await page
      .locator(`#recent tr[data-state="done"]`, { hasText: doomed })
      .waitFor({ timeout: 15_000 });
    expect(await page.locator('.count.dead b').textContent()).toBe('0');
    expect(await page.content()).not.toMatch(/00D[a-zA-Z0-9]{12,15}!/);
    await page.close();
  });
});
