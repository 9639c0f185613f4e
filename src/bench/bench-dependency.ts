import { createRequire } from 'node:module';
import { SfRelayError } from '../shared/index.ts';

/** The load generator and the node-soap comparison: development dependencies, not the relay's. */
export const BENCH_DEPENDENCIES = ['autocannon', 'soap'] as const;
export type BenchDependency = (typeof BENCH_DEPENDENCIES)[number];

export class BenchDependencyError extends SfRelayError {
  readonly code = 'BENCH_DEPENDENCY_MISSING';
}

const require = createRequire(import.meta.url);

/**
 * Fails with what to do when a package only the benchmark uses is not installed (an install
 * with `--omit=dev`, or sf-relay as another project's dependency), instead of a
 * module-not-found stack from a child process halfway through the run.
 */
export function requireBenchDependencies(
  names: readonly BenchDependency[] = BENCH_DEPENDENCIES,
): void {
  const missing = names.filter((name) => {
    try {
      require.resolve(name);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0)
    throw new BenchDependencyError(
      `sf-relay bench needs ${missing.join(' and ')}, development dependencies that are not ` +
        'installed here: run `npm install` (without --omit=dev) in the sf-relay folder.',
    );
}

/** Loads a benchmark-only package when a run needs it, so nothing else pays for it. */
export async function importBenchDependency<T>(name: BenchDependency): Promise<T> {
  requireBenchDependencies([name]);
  return (await import(name)) as T;
}
