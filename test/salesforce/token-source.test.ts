import { describe, expect, it } from 'vitest';
import type { Credential } from '../../src/salesforce/credential.ts';
import { TokenSource } from '../../src/salesforce/token-source.ts';

/** A token endpoint stand-in whose replies the test releases one by one. */
function endpoint() {
  const waiting: ((credential: Credential) => void)[] = [];
  let issued = 0;
  return {
    fetch: () =>
      new Promise<Credential>((resolve) => {
        waiting.push(resolve);
      }),
    answer() {
      const resolve = waiting.shift();
      if (!resolve) throw new Error('no token request is waiting');
      issued += 1;
      resolve({ instanceUrl: 'https://acme.my.salesforce.com', accessToken: `token-${issued}` });
    },
    get pending() {
      return waiting.length;
    },
  };
}

describe('TokenSource', () => {
  it('lets concurrent callers share one request', async () => {
    const server = endpoint();
    const source = new TokenSource(server.fetch);
    const all = Promise.all([source.get(), source.get(), source.get()]);
    expect(server.pending).toBe(1);
    server.answer();
    const tokens = await all;
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['token-1']));
    await expect(source.get()).resolves.toMatchObject({ accessToken: 'token-1' });
    expect(server.pending).toBe(0);
  });

  it('renews a rejected token once however many callers saw it rejected', async () => {
    const server = endpoint();
    const source = new TokenSource(server.fetch);
    const first = source.get();
    server.answer();
    const rejected = await first;
    const renewals = Promise.all(Array.from({ length: 10 }, () => source.renew(rejected)));
    expect(server.pending).toBe(1);
    server.answer();
    const fresh = await renewals;
    expect(new Set(fresh.map((t) => t.accessToken))).toEqual(new Set(['token-2']));
    // A late 401 for the old token does not throw away the new one.
    await expect(source.renew(rejected)).resolves.toMatchObject({ accessToken: 'token-2' });
    expect(server.pending).toBe(0);
  });

  it('does not cache a failure', async () => {
    let calls = 0;
    const source = new TokenSource(async () => {
      calls += 1;
      if (calls === 1) throw new Error('refused');
      return { instanceUrl: 'https://acme.my.salesforce.com', accessToken: 'token-ok' };
    });
    await expect(source.get()).rejects.toThrow('refused');
    await expect(source.get()).resolves.toMatchObject({ accessToken: 'token-ok' });
  });
});
