import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (src/process → ../..). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The `sf-relay` entry point: child processes run the same sources as this one. */
export const SF_RELAY_BIN = resolve(REPO_ROOT, 'bin/sf-relay.js');
