/**
 * vitest global set-up: child processes (the bin, bench targets, chaos) run the compiled code
 * in dist/, while the tests import src/. Rebuild when any source is newer than the last build,
 * so a test never spawns yesterday's code; a run with nothing changed only compares mtimes.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/process/sf-relay-bin.ts';

const BUILD_INFO = join(REPO_ROOT, 'dist', '.tsbuildinfo');
const INPUTS = [
  join(REPO_ROOT, 'src'),
  join(REPO_ROOT, 'tsconfig.json'),
  join(REPO_ROOT, 'tsconfig.build.json'),
];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function builtAt(): number {
  try {
    return statSync(BUILD_INFO).mtimeMs;
  } catch {
    return -1;
  }
}

export default function setup(): void {
  const newest = Math.max(...INPUTS.map(newestMtime));
  if (builtAt() >= newest) return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', join(REPO_ROOT, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
  // Exit 2: type errors, but every file emitted. The typecheck reports those; the tests that
  // touch the broken code will say so too, and the others can still run.
  if (build.status === 2) return;
  if (build.status !== 0) throw new Error(`npm run build failed (exit ${build.status})`);
  // tsc leaves its build info alone when nothing it emits changed (a touched file): mark the
  // build as checked so the next run skips it.
  const now = new Date();
  utimesSync(BUILD_INFO, now, now);
}
