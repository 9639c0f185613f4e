import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/shared/index.ts';

function capture(): {
  logger: ReturnType<typeof createLogger>;
  lines: () => unknown[];
  text: () => string;
} {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return {
    logger: createLogger('info', sink),
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
  };
}

const SECRETS = {
  token: 'tok-secret-1',
  access_token: 'tok-secret-2',
  client_secret: 'tok-secret-3',
  assertion: 'tok-secret-4',
  sessionId: 'tok-secret-5',
  session_id: 'tok-secret-6',
  password: 'tok-secret-7',
  authorization: 'Bearer tok-secret-8',
  'X-Sfrelay-Endpoint-Token': 'tok-secret-9',
};

describe('log redaction', () => {
  it('censors secret-named keys at any depth, in arrays and in errors', () => {
    const { logger, text, lines } = capture();
    const deep = { a: { b: { c: { d: { e: { ...SECRETS, keep: 'visible' } } } } } };
    const error = Object.assign(new Error('token refused'), { accessToken: 'tok-secret-10' });
    logger.info({ deep, list: [{ nested: [SECRETS] }], err: error }, 'a log line');
    logger.child({ component: 'x', clientSecret: 'tok-secret-11' }).info('child line');
    expect(text()).not.toMatch(/tok-secret/);
    expect(text()).toContain('visible');
    const [first] = lines() as [
      { deep: { a: { b: { c: { d: { e: Record<string, unknown> } } } } } },
    ];
    expect(first.deep.a.b.c.d.e.session_id).toBe('[redacted]');
    expect(first.deep.a.b.c.d.e.keep).toBe('visible');
  });

  it('removes the password from connection strings anywhere in a value', () => {
    const { logger, text } = capture();
    logger.info(
      {
        db: 'postgres://relay:pg-secret-pw@db.internal:5432/relay?schema=x',
        reason: 'could not connect to postgres://relay:pg-secret-pw@db.internal/relay: timeout',
      },
      'inbox unavailable',
    );
    expect(text()).not.toContain('pg-secret-pw');
    expect(text()).toContain('postgres://relay:[redacted]@db.internal:5432/relay');
  });
});
