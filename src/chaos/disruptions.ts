import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Disruption } from './chaos-loop.ts';
import type { ChaosPlan } from './chaos-plan.ts';
import { callJson } from './json-api.ts';
import type { ThrowawayPostgres } from './throwaway-postgres.ts';

export interface DisruptionTargets {
  readonly erpUrl: string;
  /** The ERP's planned error rate, restored when an outage ends. */
  readonly erpErrorRate: number;
  /** The run's own PostgreSQL server, when it has one. */
  readonly database: ThrowawayPostgres | undefined;
  /** The SQLite inbox files that a disk fault makes unwritable. */
  readonly sqliteFiles: readonly string[];
}

/** The plan's outages as things the chaos loop can carry out. */
export function planDisruptions(plan: ChaosPlan, targets: DisruptionTargets): Disruption[] {
  const { database } = targets;
  return [
    ...plan.erpOutages.map((outage): Disruption => ({
      kind: 'erp outage',
      plan: outage,
      run: async () => {
        // Every order call answers 503 for the stretch, as in a maintenance window.
        await callJson('PUT', `${targets.erpUrl}/erp/faults`, { errorRate: 1 });
        try {
          await sleep(outage.downMs);
        } finally {
          await callJson('PUT', `${targets.erpUrl}/erp/faults`, {
            errorRate: targets.erpErrorRate,
          });
        }
      },
    })),
    ...(database === undefined
      ? []
      : plan.dbRestarts.map((restart): Disruption => ({
          kind: 'db restart',
          plan: restart,
          run: () => database.restart(restart.downMs),
        }))),
    ...plan.diskFaults.map((fault): Disruption => ({
      kind: 'disk fault',
      plan: fault,
      run: async () => {
        const files = targets.sqliteFiles.filter((file) => existsSync(file));
        // Immutable files refuse writes even to root: commits fail under the relay.
        execFileSync('chattr', ['+i', ...files]);
        try {
          await sleep(fault.downMs);
        } finally {
          execFileSync('chattr', ['-i', ...files]);
        }
      },
    })),
  ];
}

/** Whether `chattr +i` works here (root, and a file system with the immutable flag). */
export function immutableFilesWork(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'sf-relay-chattr-'));
  const file = join(dir, 'probe');
  try {
    writeFileSync(file, 'x');
    execFileSync('chattr', ['+i', file], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
