import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_ORG_ID } from '../outbound-body.ts';
import {
  SF_RELAY_BIN,
  spawnServerProcess,
  moduleArgs,
  type ServerProcess,
} from '../node-process.ts';

import type { TargetName } from './target-names.ts';

export { TARGET_NAMES, type TargetName } from './target-names.ts';

/** A server under test, in its own process, reachable at `url` + `/soap/outbound`. */
export interface RunningTarget extends ServerProcess {
  readonly name: TargetName;
}

const SERVE_TARGET = 'bench/targets/serve-target';

/** baseline or node-soap, in a process of their own. */
export async function startComparisonTarget(
  name: 'baseline' | 'node-soap',
): Promise<RunningTarget> {
  const server = await spawnServerProcess(moduleArgs(SERVE_TARGET, [name]), {}, 'target.listening');
  return { ...server, name };
}

/**
 * The real relay, started the way an operator starts it (`sf-relay start --role listener`),
 * storing into `dbUrl`: durable, ack after commit, default log level. Only the listener runs,
 * so the worker's reads and callbacks do not share the ack path's CPU.
 */
export async function startRelayTarget(
  name: 'sf-relay-sqlite' | 'sf-relay-postgres',
  dbUrl: string,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<RunningTarget> {
  // The load generator is one address with up to 1024 connections: the per-sender cap, a
  // guard against floods, would measure itself instead of the ack path. And autocannon keeps
  // each connection for the whole run (thousands of requests) and does not reconnect when the
  // server closes one after `maxRequestsPerSocket`: it would count Node's 503s from then on.
  const configDir = mkdtempSync(join(tmpdir(), 'sf-relay-bench-config-'));
  const configFile = join(configDir, 'relay.json');
  writeFileSync(
    configFile,
    JSON.stringify({ limits: { maxConcurrentPerIp: 10_000, maxRequestsPerSocket: 100_000 } }),
  );
  try {
    const server = await spawnServerProcess(
      [
        SF_RELAY_BIN,
        'start',
        '--role',
        'listener',
        '--port',
        '0',
        '--db',
        dbUrl,
        '--config',
        configFile,
      ],
      {
        SFRELAY_ALLOWED_ORGANIZATION_IDS: BENCH_ORG_ID,
        ...extraEnv,
      },
      'relay.listening',
    );
    return {
      ...server,
      name,
      stop: async () => {
        await server.stop();
        rmSync(configDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(configDir, { recursive: true, force: true });
    throw error;
  }
}

/** The SQLite relay on a fresh file in a temp folder, removed on stop. */
export async function startSqliteRelayTarget(): Promise<RunningTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'sf-relay-bench-'));
  try {
    const target = await startRelayTarget('sf-relay-sqlite', `sqlite:${join(dir, 'relay.db')}`);
    return {
      ...target,
      stop: async () => {
        await target.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The PostgreSQL relay in a fresh schema of the given database (so runs never see each
 * other's rows), dropped on stop.
 */
export async function startPostgresRelayTarget(baseUrl: string): Promise<RunningTarget> {
  const schema = `sf_relay_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const url = new URL(baseUrl);
  url.searchParams.set('schema', schema);
  const drop = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: baseUrl });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  try {
    const target = await startRelayTarget('sf-relay-postgres', url.toString());
    return {
      ...target,
      stop: async () => {
        await target.stop();
        await drop();
      },
    };
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
}
