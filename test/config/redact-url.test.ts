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

  it('hide a password that breaks URL parsing, and passwords given as query parameters', () => {
    expect(redactUrlCredentials('postgres://relay:ab/cd@db/relay')).toBe('postgres://***@db/relay');
    expect(
      redactUrlCredentials(
        'postgres://relay@db/relay?password=s3cret&sslpassword=k3y&sslmode=require',
      ),
    ).toBe('postgres://relay@db/relay?password=***&sslpassword=***&sslmode=require');
    for (const url of [
      'postgres://relay:ab/cd@db/relay?schema=Bad',
      'postgres://relay@db/relay?password=s3cret&pool=0',
    ]) {
      expect(() => parseInboxUrl(url)).toThrow();
      try {
        parseInboxUrl(url);
      } catch (error) {
        expect(String(error)).not.toMatch(/ab\/cd|s3cret/);
      }
    }
  });

  it('refuse a URL options parameter, which would replace the session settings sf-relay relies on', () => {
    expect(() => parseInboxUrl('postgres://db/relay?options=-c%20search_path%3Dother')).toThrow(
      /options/,
    );
  });
});
