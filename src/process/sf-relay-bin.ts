import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (src/process or dist/process → ../..). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The `sf-relay` entry point; it runs the compiled code in dist/. */
export const SF_RELAY_BIN = resolve(REPO_ROOT, 'bin/sf-relay.js');

/**
 * The compiled file of one of our modules, named relative to src/ without extension. Child
 * processes run dist/ even when the parent is the TypeScript (a vitest run): `npm test` and
 * vitest's global set-up build first, so it is never stale.
 */
export function compiledModule(module: string): string {
  return join(REPO_ROOT, 'dist', `${module}.js`);
}
