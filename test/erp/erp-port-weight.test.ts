import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/process/sf-relay-bin.ts';

/**
 * The packages a fresh Node process has loaded after importing one compiled module. Fastify and
 * better-sqlite3 are CommonJS, so whatever loads them, even from ESM, lands in require.cache.
 */
async function packagesLoadedBy(modulePath: string): Promise<string[]> {
  const script = [
    "import { createRequire } from 'node:module';",
    `await import(${JSON.stringify(modulePath)});`,
    'const paths = Object.keys(createRequire(import.meta.url).cache);',
    String.raw`const names = paths.map((p) => /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(p)?.[1]);`,
    'console.log(JSON.stringify([...new Set(names.filter(Boolean))]));',
  ].join('\n');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '-e', script],
    { cwd: REPO_ROOT },
  );
  return JSON.parse(stdout) as string[];
}

describe('the ERP port and the reference ERP are apart', () => {
  it("loads neither Fastify nor SQLite for the worker's import of the ERP port", async () => {
    const loaded = await packagesLoadedBy('./dist/erp/index.js');
    expect(loaded).not.toContain('fastify');
    expect(loaded).not.toContain('better-sqlite3');
  });

  it('loads both for the reference ERP service, so the check above can see them', async () => {
    const loaded = await packagesLoadedBy('./dist/erp-service/index.js');
    expect(loaded).toContain('fastify');
    expect(loaded).toContain('better-sqlite3');
  });
});
