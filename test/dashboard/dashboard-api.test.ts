import { describe, expect, it } from 'vitest';
import { ConfigError, relayConfigSchema } from '../../src/config/index.ts';
import { assertStartable } from '../../src/relay/index.ts';
import { relayTest, postSoap, isAck } from '../support/relay.ts';
import { sample } from '../support/samples.ts';

/** A replay as the page sends it: JSON, which a cross-site form cannot. */
const JSON_POST = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' };

describe('dashboard API', () => {
  relayTest(
    'lists messages without secrets, validates its query, and replays only dead letters',
    async ({ startRelay }) => {
      const relay = await startRelay();
      expect(
        isAck(await postSoap(`${relay.url}/soap/outbound`, sample('opportunity-closed-won.xml'))),
      ).toBe(true);
      const listing = await fetch(`${relay.url}/api/messages?state=received`);
      const text = await listing.text();
      expect(JSON.parse(text).messages).toHaveLength(1);
      expect(text).not.toContain('SessionToken');
      expect((await fetch(`${relay.url}/api/messages?state=lost`)).status).toBe(400);
      const stats = (await (await fetch(`${relay.url}/api/stats`)).json()) as {
        counts: Record<string, number>;
        throughput: unknown[];
      };
      expect(stats.counts.received).toBe(1);
      expect(stats.throughput).toHaveLength(60);
      expect(
        (await fetch(`${relay.url}/api/messages/04l5g00000AbCdEAAV/replay`, JSON_POST)).status,
      ).toBe(409);
      expect(
        (await fetch(`${relay.url}/api/messages/04l000000000000AAA/replay`, JSON_POST)).status,
      ).toBe(404);
      const page = await fetch(`${relay.url}/dashboard`);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
    },
  );

  relayTest('asks for basic auth or a bearer token when configured', async ({ startRelay }) => {
    const relay = await startRelay({
      dashboard: {
        username: 'ops',
        password: 'correct horse battery',
        token: 'a-dashboard-token-0123',
      },
    });
    const anonymous = await fetch(`${relay.url}/api/stats`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic/);
    const basic = `Basic ${Buffer.from('ops:correct horse battery').toString('base64')}`;
    expect(
      (await fetch(`${relay.url}/api/stats`, { headers: { authorization: basic } })).status,
    ).toBe(200);
    expect(
      (
        await fetch(`${relay.url}/dashboard`, {
          headers: { authorization: 'Bearer a-dashboard-token-0123' },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await fetch(`${relay.url}/api/stats`, {
          headers: { authorization: 'Bearer wrong-token-wrong-token' },
        })
      ).status,
    ).toBe(401);
    // The outbound-message endpoint is not behind the dashboard's credentials.
    expect(isAck(await postSoap(`${relay.url}/soap/outbound`, sample('no-session-id.xml')))).toBe(
      true,
    );
  });

  it('refuses to expose an open dashboard on a non-loopback address', () => {
    const config = relayConfigSchema.parse({
      host: '0.0.0.0',
      role: 'listener',
      allowedOrganizationIds: ['00D5g000004XyZ1'],
    });
    expect(() => assertStartable(config)).toThrow(ConfigError);
    expect(() => assertStartable(config)).toThrow(/dashboard\.username/);
    const guarded = relayConfigSchema.parse({
      ...config,
      dashboard: { token: 'a-dashboard-token-0123' },
      // Off loopback the outbound endpoint needs a sender check of its own, too.
      endpointToken: 'an-endpoint-token-0123456789',
    });
    expect(() => assertStartable(guarded)).not.toThrow();
  });
});
