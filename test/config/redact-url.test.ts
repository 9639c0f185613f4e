import { describe, expect, it } from 'vitest';
import { redactUrlCredentials } from '../../src/config/index.ts';
import { parseInboxUrl } from '../../src/inbox/index.ts';

describe('database URLs in logs and errors', () => {
  it('hide the password and keep the rest', () => {
    expect(redactUrlCredentials('postgres://relay:hunter2@db.internal:5432/relay')).toBe(
      'postgres://relay:***@db.internal:5432/relay',
    );
    expect(redactUrlCredentials('sqlite:./data/relay.db')).toBe('sqlite:./data/relay.db');
    expect(redactUrlCredentials('not a url')).toBe('not a url');
  });

  it('never echo a password when the URL is refused', () => {
    expect(() => parseInboxUrl('postgresx://relay:hunter2@db/relay')).toThrow(/relay:\*\*\*@db/);
    try {
      parseInboxUrl('postgresx://relay:hunter2@db/relay');
    } catch (error) {
      expect(String(error)).not.toContain('hunter2');
    }
  });
});
