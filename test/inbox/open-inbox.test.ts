import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InboxArgumentError,
  SQLITE_SCHEMA_VERSION,
  migrateInbox,
  openInbox,
  parseInboxUrl,
} from '../../src/inbox/index.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';
import { ManualClock } from './manual-clock.ts';
import { bareNotification, outboundMessage } from './messages.ts';

describe('inbox database URLs', () => {
  let dir: TempDir;

  beforeEach(() => {
    dir = makeTempDir('sf-relay-open-');
  });

  afterEach(() => {
    dir.remove();
  });

  it('reads sqlite:PATH, relative or absolute, and the sqlite:// form', () => {
    expect(parseInboxUrl('sqlite:./data/relay.db')).toEqual({
      kind: 'sqlite',
      path: './data/relay.db',
    });
    expect(parseInboxUrl('sqlite:/var/lib/relay.db')).toEqual({
      kind: 'sqlite',
      path: '/var/lib/relay.db',
    });
    expect(parseInboxUrl('sqlite:///var/lib/relay.db')).toEqual({
      kind: 'sqlite',
      path: '/var/lib/relay.db',
    });
  });

  it('rejects an empty path, an unknown scheme and (for now) PostgreSQL with InboxArgumentError', () => {
    for (const url of [
      'sqlite:',
      'mysql://localhost/relay',
      './relay.db',
      'postgres://localhost/relay',
    ]) {
      expect(() => parseInboxUrl(url), url).toThrow(InboxArgumentError);
    }
  });

  it('openInbox opens a working SQLite inbox with the given clock', async () => {
    const clock = new ManualClock();
    const inbox = openInbox(`sqlite:${dir.file('relay.db')}`, { clock });
    try {
      const notification = bareNotification();
      await inbox.store(outboundMessage([notification]));
      expect((await inbox.get(notification.id))?.receivedAt).toEqual(clock.now());
    } finally {
      await inbox.close();
    }
  });

  it('migrateInbox creates the schema once and reports the version', async () => {
    const url = `sqlite:${dir.file('nested/relay.db')}`;

    await expect(migrateInbox(url)).resolves.toMatchObject({
      fromVersion: 0,
      version: SQLITE_SCHEMA_VERSION,
    });
    await expect(migrateInbox(url)).resolves.toEqual({
      fromVersion: SQLITE_SCHEMA_VERSION,
      version: SQLITE_SCHEMA_VERSION,
      applied: [],
    });
  });
});
