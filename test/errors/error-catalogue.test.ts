import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { loadErrorCatalogues } from '../../src/cli/error-catalogues.ts';
import { flattenCatalogues, renderErrorMarkdown } from '../../src/cli/render-error-catalogue.ts';
import { REPO_ROOT } from '../../src/process/sf-relay-bin.ts';
import { runCli } from '../support/relay-process.ts';

const SRC = join(REPO_ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

// The emulator speaks Salesforce's codes, not ours; the catalogues define codes, not use them.
const relayFiles = sourceFiles(SRC).filter(
  (path) => !relative(SRC, path).startsWith('emulator/') && !path.endsWith('error-catalogue.ts'),
);

// Where a code is written in the source: an error class's `code`, a code passed to an error's
// constructor, or a worker outcome's `code:`.
const CODE_PATTERNS = [
  /readonly code(?::\s*[^=]+?)?\s*=\s*'([A-Z][A-Z0-9_]+)'/g,
  /readonly code:\s*((?:'[A-Z][A-Z0-9_]+'\s*\|?\s*)+)/g,
  /(?:Error|Rejected|Retryable|Permanent)\(\s*'([A-Z][A-Z0-9_]+)'/g,
  /\bcode:\s*'([A-Z][A-Z0-9_]+)'/g,
  /'([A-Z][A-Z0-9_]+): /g,
  /\?\?\s*'([A-Z][A-Z0-9_]+)'/g,
];

function codesWrittenIn(text: string): string[] {
  const codes = CODE_PATTERNS.flatMap((pattern) =>
    [...text.matchAll(pattern)].flatMap((match) =>
      (match[1] ?? '').split('|').map((part) => part.trim().replaceAll("'", '')),
    ),
  ).filter((code) => code !== '');
  return [...new Set(codes)];
}

describe('error catalogue', () => {
  it('describes every code the relay raises, stores or answers with', async () => {
    const known = new Set(flattenCatalogues(await loadErrorCatalogues()).map((e) => e.code));
    const missing = relayFiles.flatMap((path) =>
      codesWrittenIn(readFileSync(path, 'utf8'))
        .filter((code) => !known.has(code))
        .map((code) => `${code} (${relative(REPO_ROOT, path)})`),
    );
    expect(missing).toEqual([]);
  });

  it('finds the codes it looks for (the scan itself works)', () => {
    expect(codesWrittenIn("readonly code = 'ORG_NOT_ALLOWED';")).toEqual(['ORG_NOT_ALLOWED']);
    expect(codesWrittenIn("readonly code: 'PORT_IN_USE' | 'PORT_FORBIDDEN',")).toEqual([
      'PORT_IN_USE',
      'PORT_FORBIDDEN',
    ]);
    expect(codesWrittenIn("new SalesforcePermanentError(\n 'MALFORMED_ID', 'x')")).toEqual([
      'MALFORMED_ID',
    ]);
  });

  it('has no entry that nothing raises (Salesforce reply codes are decided by their entry)', async () => {
    const catalogues = await loadErrorCatalogues();
    const everything = relayFiles.map((path) => readFileSync(path, 'utf8')).join('\n');
    const unused = flattenCatalogues(
      catalogues.filter((c) => !c.part.includes('Salesforce answers')),
    )
      .map((entry) => entry.code)
      .filter((code) => code !== 'HTTP_status' && !new RegExp(`['\`]${code}\\b`).test(everything));
    expect(unused).toEqual([]);
  });

  it('gives every code exactly one entry', async () => {
    const codes = flattenCatalogues(await loadErrorCatalogues()).map((e) => e.code);
    expect(codes.filter((code, i) => codes.indexOf(code) !== i)).toEqual([]);
  });

  it('docs/errors.md is the rendered catalogue (run `npm run docs:errors` after changing one)', async () => {
    const rendered = await format(renderErrorMarkdown(await loadErrorCatalogues()), {
      parser: 'markdown',
      filepath: join(REPO_ROOT, 'docs/errors.md'),
    });
    expect(readFileSync(join(REPO_ROOT, 'docs/errors.md'), 'utf8')).toBe(rendered);
  });

  it(
    '`sf-relay errors CODE` explains one code; an unknown code exits 2',
    { timeout: 90_000 },
    async () => {
      const one = await runCli(['errors', 'inbox_unavailable', '--json']);
      expect(one.code).toBe(0);
      const [entry] = JSON.parse(one.stdout) as { code: string; retryable: boolean }[];
      expect(entry).toMatchObject({ code: 'INBOX_UNAVAILABLE', part: 'inbox', retryable: true });
      const unknown = await runCli(['errors', 'NO_SUCH_CODE']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('no error code "NO_SUCH_CODE"');
    },
  );
});
