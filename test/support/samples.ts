import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Copies of the team's hand-written samples (shared/samples), kept in the repo so a clone tests alone. */
export const SAMPLES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/samples');

export function sample(name: string): Buffer {
  return readFileSync(join(SAMPLES_DIR, name));
}

export function hostileSampleNames(): string[] {
  return readdirSync(join(SAMPLES_DIR, 'hostile'))
    .filter((name) => name.endsWith('.xml'))
    .sort()
    .map((name) => `hostile/${name}`);
}
