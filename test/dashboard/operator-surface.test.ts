import { request } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startRelayUnderAttack, type RelayUnderAttack } from '../hostile/hostile-relay.ts';
import { startTestRelay, type TestRelay } from '../support/relay.ts';

/**
 * The operator surface (dashboard, /api, /metrics, /readyz) of a relay in its own process:
 * closed unless credentials are set or it is opened on purpose, hardened against cross-site
 * use from a browser that holds cached credentials.
 */
let relay: RelayUnderAttack | undefined;
let local: TestRelay | undefined;
afterEach(async () => {
  await relay?.stop();
  relay = undefined;
  await local?.stop();
  local = undefined;
});

const TOKEN = 'a-dashboard-token-0123';
const bearer = { authorization: `Bearer ${TOKEN}` };

async function status(url: string, init: RequestInit = {}): Promise<number> {
  return (await fetch(url, init)).status;
}

describe('closed by default', () => {
  it('answers nothing operational without credentials or open: true, on 127.0.0.1 too', async () => {
    relay = await startRelayUnderAttack();
    for (const path of ['/dashboard', '/api/stats', '/api/messages', '/metrics']) {
      const response = await fetch(`${relay.url}${path}`);
      expect(response.status, path).toBe(403);
      expect(await response.text()).toMatch(/dashboard\.open/);
    }
    // A forwarding TLS proxy on this machine changes nothing: there is no "loopback is private".
    expect(
      await status(`${relay.url}/dashboard`, { headers: { 'x-forwarded-for': '203.0.113.9' } }),
    ).toBe(403);
    expect(await status(`${relay.url}/healthz`)).toBe(200);
    expect(await status(`${relay.url}/readyz`)).toBe(200);
  }, 60_000);

  it('puts /metrics and /readyz behind the dashboard credentials when they are set', async () => {
    relay = await startRelayUnderAttack({}, { dashboard: { token: TOKEN } });
    for (const path of ['/metrics', '/readyz', '/dashboard', '/api/stats']) {
      expect(await status(`${relay.url}${path}`), path).toBe(401);
      expect(await status(`${relay.url}${path}`, { headers: bearer }), path).toBe(200);
    }
    expect(await status(`${relay.url}/healthz`)).toBe(200);
    expect(relay.process.output()).not.toContain(TOKEN);
  }, 60_000);

  it('refuses open: true off loopback', async () => {
    const { relayConfigSchema } = await import('../../src/config/index.ts');
    const { assertStartable } = await import('../../src/relay/index.ts');
    const config = relayConfigSchema.parse({
      host: '0.0.0.0',
      role: 'listener',
      allowedOrganizationIds: ['00D5g000004XyZ1'],
      endpointToken: 'an-endpoint-token-0123456789',
      dashboard: { open: true },
    });
    expect(() => assertStartable(config)).toThrow(/loopback address only/);
  });
});

describe('cross-site use of the replay API', () => {
  const replay = (url: string, headers: Record<string, string>) =>
    fetch(`${url}/api/messages/04l000000000000AAA/replay`, {
      method: 'POST',
      headers: { ...bearer, ...headers },
      body: headers['content-type']?.includes('json') ? '{}' : 'x',
    });

  it('needs JSON from this origin: a form post or another site is refused', async () => {
    relay = await startRelayUnderAttack({}, { dashboard: { token: TOKEN } });
    const url = relay.url;
    expect((await replay(url, { 'content-type': 'text/plain' })).status).toBe(415);
    expect(
      (await replay(url, { 'content-type': 'application/x-www-form-urlencoded' })).status,
    ).toBe(415);
    expect(
      (await replay(url, { 'content-type': 'application/json', origin: 'https://evil.example' }))
        .status,
    ).toBe(403);
    expect(
      (await replay(url, { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }))
        .status,
    ).toBe(403);
    // From the page itself: accepted, and there is no such notification.
    expect((await replay(url, { 'content-type': 'application/json', origin: url })).status).toBe(
      404,
    );
  }, 60_000);

  it('sends CSP, X-Frame-Options: DENY and Referrer-Policy with the page', async () => {
    relay = await startRelayUnderAttack({}, { dashboard: { token: TOKEN } });
    const page = await fetch(`${relay.url}/dashboard`, { headers: bearer });
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    // The hashes are of the page's own script and style: change one and the CSP follows.
    const html = await page.text();
    const { createHash } = await import('node:crypto');
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(csp).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
  }, 60_000);
});

/** Opens an event stream and resolves once its first frame arrives; `close` ends it. */
function openStream(url: string): Promise<{ status: number; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/events`, { headers: bearer }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        resolve({ status: res.statusCode ?? 0, close: () => req.destroy() });
        return;
      }
      res.once('data', () => resolve({ status: 200, close: () => req.destroy() }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('event streams', () => {
  it('are capped, and the cap frees up when one closes', async () => {
    relay = await startRelayUnderAttack({}, { dashboard: { token: TOKEN, maxEventStreams: 2 } });
    const first = await openStream(relay.url);
    const second = await openStream(relay.url);
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await openStream(relay.url);
    expect(third.status).toBe(503);
    first.close();
    let again = await openStream(relay.url);
    for (let i = 0; again.status !== 200 && i < 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      again = await openStream(relay.url);
    }
    expect(again.status).toBe(200);
    for (const stream of [second, third, again]) stream.close();
  }, 60_000);

  it('share one timer however many are open', async () => {
    local = await startTestRelay({ dashboard: { token: TOKEN } });
    const setInterval = vi.spyOn(globalThis, 'setInterval');
    try {
      const streams = await Promise.all([1, 2, 3, 4].map(() => openStream(local?.url ?? '')));
      expect(streams.map((s) => s.status)).toEqual([200, 200, 200, 200]);
      expect(setInterval).toHaveBeenCalledTimes(1);
      for (const stream of streams) stream.close();
    } finally {
      setInterval.mockRestore();
    }
  });
});

describe('/readyz', () => {
  it('probes the inbox at most once a second, however often it is asked', async () => {
    local = await startTestRelay();
    const probe = vi.spyOn(local.relay.inbox, 'isWritable');
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => status(`${local?.url ?? ''}/readyz`)),
    );
    expect(answers.every((answer) => answer === 200)).toBe(true);
    expect(await status(`${local.url}/readyz`)).toBe(200);
    expect(probe).toHaveBeenCalledTimes(1);
  });
});
