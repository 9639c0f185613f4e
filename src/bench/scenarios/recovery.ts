import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteInbox } from '../../inbox/index.ts';
import { parseOutboundMessage } from '../../soap/index.ts';
import { spawn } from 'node:child_process';
import { SF_RELAY_BIN } from '../node-process.ts';
import { newRunTag, outboundBodyFactory } from '../outbound-body.ts';
import type { RecoveryResult } from '../report.ts';
import { BenchScenarioError } from '../scenario-error.ts';

export interface RecoveryOptions {
  readonly queued: number;
  readonly progress: (line: string) => void;
}

const POLL_MS = 5;
const DEADLINE_MS = 60_000;
const FIRST_CLAIM = `SELECT 1 FROM notifications WHERE state != 'received' LIMIT 1`;

/**
 * Restart with a backlog: an inbox holding `queued` received notifications, then
 * `sf-relay start --role worker` on it as a fresh process, timed until the first notification
 * is claimed (seen from outside, through a read-only connection to the same file).
 *
 * The worker calls back to a Salesforce that is not there (a closed loopback port): the
 * claim is what is measured, not what happens after.
 */
export async function runRecoveryScenario(options: RecoveryOptions): Promise<RecoveryResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sf-relay-bench-recovery-'));
  const path = join(dir, 'relay.db');
  try {
    options.progress(`recovery: queueing ${options.queued} notifications`);
    await fill(path, options.queued);
    const started = performance.now();
    // Its output is dropped, not piped: with Salesforce unreachable the worker logs every
    // failed attempt, and a pipe nobody can drain fast enough would slow the very start timed.
    const relay = spawn(
      process.execPath,
      [SF_RELAY_BIN, 'start', '--role', 'worker', '--port', '0', '--db', `sqlite:${path}`],
      {
        env: {
          ...process.env,
          SFRELAY_SALESFORCE_OAUTH_FLOW: 'client_credentials',
          SFRELAY_SALESFORCE_LOGIN_URL: 'http://127.0.0.1:9',
          SFRELAY_SALESFORCE_CLIENT_ID: 'sf-relay-bench',
          SFRELAY_SALESFORCE_CLIENT_SECRET: 'sf-relay-bench-not-a-secret',
        },
        stdio: 'ignore',
      },
    );
    const exited = new Promise<void>((done) => relay.once('exit', () => done()));
    const reader = new Database(path, { readonly: true });
    try {
      const firstClaim = reader.prepare(FIRST_CLAIM);
      const deadline = started + DEADLINE_MS;
      while (firstClaim.get() === undefined) {
        if (relay.exitCode !== null)
          throw new BenchScenarioError(
            `recovery: sf-relay start exited with ${relay.exitCode} before claiming anything`,
          );
        if (performance.now() > deadline)
          throw new BenchScenarioError(
            `recovery: no notification was claimed within ${DEADLINE_MS} ms of the restart`,
          );
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      return {
        scenario: 'recovery',
        target: 'sf-relay-sqlite',
        queued: options.queued,
        firstClaimMs: Math.round(performance.now() - started),
      };
    } finally {
      reader.close();
      relay.kill('SIGKILL');
      await exited;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Stores `count` notifications in messages of 100, as a listener would have. */
async function fill(path: string, count: number): Promise<void> {
  const inbox = openSqliteInbox(path);
  try {
    const next = outboundBodyFactory(100, newRunTag());
    const stores: Promise<unknown>[] = [];
    for (let left = count; left > 0; left -= 100) {
      const message = parseOutboundMessage(Buffer.from(next()));
      const size = Math.min(100, left);
      stores.push(inbox.store({ ...message, notifications: message.notifications.slice(0, size) }));
    }
    await Promise.all(stores);
  } finally {
    await inbox.close();
  }
}
