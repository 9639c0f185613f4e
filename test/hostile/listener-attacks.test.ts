import { connect } from 'node:net';
import { setPriority } from 'node:os';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postFrom } from '../support/post-from.ts';
import { faultOf, isAck, postSoap, type SoapReply } from '../support/relay.ts';
import { hostileSampleNames, sample } from '../support/samples.ts';
import { waitFor } from '../support/wait-for.ts';
import { startHealthProbe } from './health-probe.ts';
import { startRelayUnderAttack, type RelayUnderAttack } from './hostile-relay.ts';

/**
 * Hostile input against a listener in its own process: every attack gets a SOAP fault or a
 * clear HTTP error, the process stays up and answers, its memory stays bounded, and nothing
 * reaches the inbox. (The parser's own limits are unit-tested in test/soap; this is the
 * whole path, over real sockets, into a real process.)
 */
let relay: RelayUnderAttack | undefined;
/** Rows the inbox may hold: none, until the last test stores one genuine message. */
let expectedRows = 0;
beforeAll(async () => {
  relay = await startRelayUnderAttack({ requestTimeoutSeconds: 2, maxConcurrentPerIp: 16 });
}, 60_000);
afterAll(async () => {
  await relay?.stop();
});
afterEach(async () => {
  const r = underAttack();
  expect(r.alive()).toBe(true);
  expect((await fetch(`${r.url}/healthz`)).status).toBe(200);
  expect(r.rowCount()).toBe(expectedRows);
});

/** Until /healthz answers within 20 ms three times in a row (at most 15 s). */
async function waitForQuiet(url: string): Promise<void> {
  let quick = 0;
  await waitFor(
    async () => {
      const started = performance.now();
      await fetch(url).then((reply) => reply.arrayBuffer());
      quick = performance.now() - started < 20 ? quick + 1 : 0;
      return quick >= 3;
    },
    'the relay to be idle before the attack',
    15_000,
  );
}

function underAttack(): RelayUnderAttack {
  if (!relay) throw new Error('the relay did not start');
  return relay;
}
const endpoint = (): string => `${underAttack().url}/soap/outbound`;
const VALID = sample('no-session-id.xml').toString('utf8');
const FOREIGN_ORG = '00D000000000001AAA';
/** The valid sample from an organisation not allowed: well-formed, yet never to be stored. */
const FOREIGN = VALID.replaceAll('00D5g000004XyZ1EAK', FOREIGN_ORG).replaceAll(
  '00D5g000004XyZ1',
  FOREIGN_ORG.slice(0, 15),
);

/** The valid sample with `find` replaced; the result must differ, or the test proves nothing. */
function tampered(find: string | RegExp, replacement: string): string {
  const body = VALID.replace(find, replacement);
  expect(body).not.toBe(VALID);
  return body;
}

function expectClientFault(reply: SoapReply, errorCode?: string): void {
  expect(reply.status, reply.body.slice(0, 300)).toBe(500);
  expect(faultOf(reply).faultCode).toBe('Client');
  if (errorCode !== undefined) expect(faultOf(reply).errorCode).toBe(errorCode);
}

describe('the shared hostile samples', () => {
  it.each(hostileSampleNames())('%s gets a Client fault', async (name) => {
    expectClientFault(await postSoap(endpoint(), sample(name)));
  });
});

describe('generated attacks', () => {
  it('deep nesting (100 000 levels) gets SOAP_TOO_DEEP', async () => {
    const depth = 100_000;
    const body = tampered(
      '<sf:StageName>Closed Won</sf:StageName>',
      `${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}`,
    );
    expectClientFault(await postSoap(endpoint(), body), 'SOAP_TOO_DEEP');
  });

  it('an element with 20 000 attributes gets SOAP_TOO_MANY_ATTRIBUTES', async () => {
    const attributes = Array.from({ length: 20_000 }, (_, i) => `a${i}="x"`).join(' ');
    const body = tampered('<sf:StageName>', `<sf:StageName ${attributes}>`);
    expectClientFault(await postSoap(endpoint(), body), 'SOAP_TOO_MANY_ATTRIBUTES');
  });

  it('a 1.9 MB text node in an id gets a fault', async () => {
    const body = tampered('<Id>04l5g00000AbCdJAAV</Id>', `<Id>${'A'.repeat(1_900_000)}</Id>`);
    expectClientFault(await postSoap(endpoint(), body), 'SOAP_INVALID_ID');
  });

  it('10 MB bodies get 413 with a fault, one after another and at once, and memory stays bounded', async () => {
    const huge = tampered('Closed Won', 'x'.repeat(10 * 1024 * 1024));
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => postSoap(endpoint(), huge).catch((error: Error) => error)),
    );
    for (const reply of replies) {
      // The relay may close the socket while the client still uploads: a reset is an answer too.
      if (reply instanceof Error) continue;
      expect(reply.status).toBe(413);
      expect(faultOf(reply).faultCode).toBe('Client');
    }
    // One after another: the relay answers a 413 fault as soon as the limit is passed, and the
    // client sees it unless the socket is reset under its upload first (a race on a busy
    // machine), so at least one of a few tries must read the fault.
    let answered = replies.find((reply) => !(reply instanceof Error));
    for (let attempt = 0; answered === undefined && attempt < 5; attempt += 1) {
      const reply = await postSoap(endpoint(), huge).catch((error: Error) => error);
      if (!(reply instanceof Error)) answered = reply;
    }
    expect(answered).toBeDefined();
    if (answered !== undefined && !(answered instanceof Error)) {
      expect(answered.status).toBe(413);
      expect(faultOf(answered).faultCode).toBe('Client');
    }
    expect(underAttack().rssBytes()).toBeLessThan(400 * 1024 * 1024);
  });

  // Up to three attacks, each measured afresh: on two shared cores the OS alone can hold the
  // relay or the probe for 100+ ms in one short window (1 CI run in 6 this round). The
  // regression this guards against (a bomb blocking the event loop for seconds) fails every try.
  it(
    '20 bodies of 500 000 empty elements at once: refused, /healthz answers within 100 ms, memory bounded',
    { timeout: 60_000, retry: 2 },
    async () => {
      const bomb = tampered('<sf:StageName>Closed Won</sf:StageName>', '<a/>'.repeat(500_000));
      expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
      // The relay is shared with the earlier attacks, whose clients may still be streaming the
      // rest of a refused 10 MB upload that the relay reads and discards: start from quiet, so
      // what is timed is these bombs, not the leftovers.
      await waitForQuiet(`${underAttack().url}/healthz`);
      // This process only pushes the 40 MB; on two cores it must not outrank the relay and the
      // probe being measured (a fork of its own: the rest of the suite keeps its priority).
      setPriority(process.pid, 15);
      // Timed from a process of its own, so this process's work sending 40 MB does not count.
      const probe = await startHealthProbe(`${underAttack().url}/healthz`);
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          postFrom(endpoint(), bomb, { localAddress: `127.0.1.${i + 1}` }).catch(
            (error: Error) => error,
          ),
        ),
      );
      const latencies = await probe.stop();
      for (const reply of replies) {
        // Refused while still uploading: the relay may close before the client finished sending.
        if (reply instanceof Error) continue;
        // Cut off as it streams in (413, like an oversized body), before any tree is built.
        expect(reply.status).toBe(413);
        expect(faultOf(reply)).toEqual({
          faultCode: 'Client',
          errorCode: 'SOAP_TOO_MANY_ELEMENTS',
        });
      }
      expect(replies.some((reply) => !(reply instanceof Error))).toBe(true);
      expect(latencies.length).toBeGreaterThan(0);
      // The 90th percentile, not the maximum: on a shared machine the OS alone stalls an idle
      // process for 100+ ms now and then. Unwired, the cap let each bomb block for seconds.
      const sorted = [...latencies].sort((a, b) => a - b);
      expect(sorted[Math.floor(sorted.length * 0.9)]).toBeLessThan(100);
      expect(underAttack().rssBytes()).toBeLessThan(400 * 1024 * 1024);
    },
  );

  it('slow-loris uploads are cut off by the request timeout while the relay keeps answering others', async () => {
    const { hostname, port } = new URL(underAttack().url);
    // From an address of their own (as an attacker's are), so the per-source cap on requests
    // in flight answers the excess at once while the genuine sender is unaffected.
    const loris = Array.from({ length: 20 }, () => {
      const socket = connect({ port: Number(port), host: hostname, localAddress: '127.0.0.3' });
      socket.on('error', () => undefined);
      const state = { closed: false, answer: '' };
      socket.on('data', (chunk: Buffer) => (state.answer += chunk.toString('utf8')));
      socket.on('close', () => (state.closed = true));
      socket.write(
        'POST /soap/outbound HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nSOAPAction: ""\r\nContent-Length: 100000\r\n\r\n<',
      );
      const drip = setInterval(() => socket.write('a'), 200);
      socket.on('close', () => clearInterval(drip));
      return { socket, state, drip };
    });
    try {
      // Meanwhile a genuine but foreign message is answered at once.
      expectClientFault(await postSoap(endpoint(), FOREIGN), 'ORG_NOT_ALLOWED');
      await waitFor(
        () => loris.every((l) => l.state.closed),
        'every slow upload to be cut off',
        30_000,
      );
      for (const l of loris) expect(l.state.answer).toMatch(/^HTTP\/1\.1 (408|503)|^$/);
      const overCap = loris.filter((l) => l.state.answer.startsWith('HTTP/1.1 503'));
      expect(overCap.length).toBeGreaterThanOrEqual(20 - 16);
      for (const l of overCap) expect(l.state.answer).toContain('TOO_MANY_CONCURRENT_REQUESTS');
    } finally {
      for (const l of loris) {
        clearInterval(l.drip);
        l.socket.destroy();
      }
    }
  }, 60_000);

  it('invalid UTF-8 gets SOAP_ENCODING_UNSUPPORTED or SOAP_MALFORMED', async () => {
    const [before, after] = VALID.split('Closed Won');
    const body = Buffer.concat([
      Buffer.from(before ?? ''),
      Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]),
      Buffer.from(after ?? ''),
    ]);
    const reply = await postSoap(endpoint(), body);
    expectClientFault(reply);
    expect(['SOAP_ENCODING_UNSUPPORTED', 'SOAP_MALFORMED']).toContain(faultOf(reply).errorCode);
  });

  it('a wrong SOAPAction gets SOAP_WRONG_ACTION', async () => {
    expectClientFault(
      await postSoap(endpoint(), VALID, { soapaction: '"urn:deleteEverything"' }),
      'SOAP_WRONG_ACTION',
    );
  });

  it('101 notifications get SOAP_TOO_MANY_NOTIFICATIONS', async () => {
    const notification = /<Notification>[\s\S]*<\/Notification>/.exec(VALID)?.[0] ?? '';
    const many = Array.from({ length: 101 }, (_, i) =>
      notification.replace('04l5g00000AbCdJAAV', `04l5g00000Ab${String(i).padStart(3, '0')}AAV`),
    ).join('');
    expectClientFault(
      await postSoap(endpoint(), tampered(notification, many)),
      'SOAP_TOO_MANY_NOTIFICATIONS',
    );
  });

  it.each([
    ['a 17-character notification id', '04l5g00000AbCdJAAV', '04l5g00000AbCdJAA'],
    ['a 19-character notification id', '04l5g00000AbCdJAAV', '04l5g00000AbCdJAAVX'],
    ['a 14-character record id', '0065g00000Q1w2jAAB', '0065g00000Q1w2'],
    ['a 16-character record id', '0065g00000Q1w2jAAB', '0065g00000Q1w2jA'],
    ['a 14-character action id', '04k5g000000AbCdAAK', '04k5g000000AbC'],
  ])('%s gets a fault', async (_what, find, replacement) => {
    expectClientFault(await postSoap(endpoint(), tampered(find, replacement)));
  });

  const INJECTIONS = [
    "'; DROP TABLE notifications; --",
    '" OR "1"="1',
    "0065g00000Q1w2j' OR '1'='1",
    "\\'; DELETE FROM notifications WHERE 1=1; --",
  ];
  const FIELDS: readonly [string, RegExp][] = [
    ['OrganizationId', /(<OrganizationId>)[^<]*/],
    ['ActionId', /(<ActionId>)[^<]*/],
    ['EnterpriseUrl', /(<EnterpriseUrl>)[^<]*/],
    ['PartnerUrl', /(<PartnerUrl>)[^<]*/],
    ['Notification Id', /(<Id>)[^<]*/],
    ['sObject Id', /(<sf:Id>)[^<]*/],
  ];
  it.each(FIELDS)('SQL and quote characters in %s get a fault', async (_field, pattern) => {
    for (const injection of INJECTIONS) {
      const escaped = injection.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
      expectClientFault(await postSoap(endpoint(), tampered(pattern, `$1${escaped}`)));
    }
  });
});

describe('fuzzing the envelope', () => {
  const ANSWERS = new Set([400, 413, 415, 500]);

  async function expectRefused(body: string | Uint8Array): Promise<void> {
    const reply = await postSoap(endpoint(), body);
    expect(ANSWERS.has(reply.status), `${reply.status} ${reply.body.slice(0, 200)}`).toBe(true);
    expect(reply.body).not.toContain('<Ack>true</Ack>');
    if (reply.status === 500) expect(faultOf(reply).faultCode).toBeDefined();
  }

  it('answers mutated envelopes with a fault or an HTTP error', async () => {
    const mutation = fc.oneof(
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat(FOREIGN.length),
        text: fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.constantFrom(
            '<',
            '>',
            '&',
            '&#0;',
            '&lt;',
            ']]>',
            '<![CDATA[',
            '<!--',
            '<?x?>',
            '"',
            "'",
            '\u0000',
            '\uFFFE',
            '<!DOCTYPE a>',
            'xmlns:sf="urn:evil"',
            '</soapenv:Body>',
          ),
        ),
      }),
      fc.record({
        kind: fc.constant('delete' as const),
        at: fc.nat(FOREIGN.length),
        length: fc.nat(60),
      }),
      fc.record({
        kind: fc.constant('repeat' as const),
        at: fc.nat(FOREIGN.length),
        length: fc.nat(80),
        times: fc.integer({ min: 2, max: 50 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        let body = FOREIGN;
        for (const m of mutations) {
          const at = Math.min(m.at, body.length);
          if (m.kind === 'insert') body = body.slice(0, at) + m.text + body.slice(at);
          else if (m.kind === 'delete') body = body.slice(0, at) + body.slice(at + m.length);
          else
            body =
              body.slice(0, at) +
              body.slice(at, at + m.length).repeat(m.times) +
              body.slice(at + m.length);
        }
        await expectRefused(body);
      }),
      { numRuns: 1000, seed: 20261128 },
    );
  }, 120_000);

  it('answers random bytes with a fault or an HTTP error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) => {
        await expectRefused(bytes);
      }),
      { numRuns: 300, seed: 7 },
    );
  }, 120_000);
});

describe('after the attacks', () => {
  it('still acknowledges a genuine message, SQL in its data and all, and stores it exactly once', async () => {
    // Runs last: the only row the suite ever stores, proving the attacks left it working and
    // that field values reach the inbox as data, never as SQL.
    const reply = await postSoap(
      endpoint(),
      tampered('Closed Won', `Closed Won'; DROP TABLE notifications; -- &quot;x&quot;`),
    );
    expect(isAck(reply)).toBe(true);
    expectedRows = 1;
    expect(underAttack().rssBytes()).toBeLessThan(400 * 1024 * 1024);
  });
});
