import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InboxArgumentError,
  migrateInbox,
  openInbox,
  parseInboxUrl,
} from '../../src/inbox/index.ts';
import { SQLITE_SCHEMA_VERSION } from '../../src/inbox/sqlite/migrations.ts';
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

  it('reads postgres:// and postgresql:// URLs, taking schema and pool out of what pg sees', () => {
    expect(
      parseInboxUrl(
        'postgres://relay:s3cret@db.internal:5433/orders?schema=sf_relay&pool=4&sslmode=require',
      ),
    ).toEqual({
      kind: 'postgres',
      connectionString: 'postgres://relay:s3cret@db.internal:5433/orders?sslmode=require',
      schema: 'sf_relay',
      poolSize: 4,
      display:
        'postgres://relay:***@db.internal:5433/orders?schema=sf_relay&pool=4&sslmode=require',
    });
    expect(parseInboxUrl('postgresql://localhost/relay')).toMatchObject({
      kind: 'postgres',
      schema: null,
      poolSize: 10,
    });
  });

  it('rejects a bad schema name or pool size, naming the value but never the password', () => {
    for (const url of [
      'postgres://u:hunter2@localhost/relay?schema=Bad-Name',
      'postgres://u:hunter2@localhost/relay?schema=x;drop',
      'postgres://u:hunter2@localhost/relay?pool=0',
      'postgres://u:hunter2@localhost/relay?pool=many',
    ]) {
      let caught: unknown;
      try {
        parseInboxUrl(url);
      } catch (error) {
        caught = error;
      }
      expect(caught, url).toBeInstanceOf(InboxArgumentError);
      expect(String(caught)).not.toContain('hunter2');
    }
  });

  it('rejects an empty path and an unknown scheme with InboxArgumentError', () => {
    for (const url of ['sqlite:', 'mysql://localhost/relay', './relay.db']) {
      expect(() => parseInboxUrl(url), url).toThrow(InboxArgumentError);
    }
  });

  it('openInbox opens a working SQLite inbox with the given clock', async () => {
    const clock = new ManualClock();
    const inbox = await openInbox(`sqlite:${dir.file('relay.db')}`, { clock });
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
