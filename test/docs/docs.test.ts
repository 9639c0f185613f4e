import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.ts';
import { REPO_ROOT, SF_RELAY_BIN } from '../../src/process/sf-relay-bin.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import {
  commandUses,
  headingAnchors,
  readDocs,
  relativeLinks,
  runnableBlocks,
  type RunnableBlock,
} from './markdown.ts';

const DOCS = readDocs(REPO_ROOT);

/** The long options `--help` lists for the program ('') and for each command. */
function helpOptions(): Map<string, Set<string>> {
  const program = buildProgram(() => undefined);
  const optionsOf = (help: string): Set<string> =>
    new Set([...help.matchAll(/^\s+(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1] ?? ''));
  const all = new Map([['', optionsOf(program.helpInformation())]]);
  for (const command of program.commands) {
    all.set(command.name(), optionsOf(command.helpInformation()));
  }
  return all;
}

interface ShellRun {
  readonly code: number | null;
  readonly output: string;
}

/**
 * Runs a block in a fresh empty folder set up the way the README describes: `npx sf-relay`
 * and `sf-relay` are this clone's, and no SFRELAY_* variable leaks in from the test's shell.
 * Every command but the last must succeed; the last must end with the block's exit code.
 */
async function runBlock(block: RunnableBlock): Promise<ShellRun> {
  const dir = makeTempDir('sf-relay-docs-');
  try {
    const bin = join(dir.path, 'node_modules', '.bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(SF_RELAY_BIN, join(bin, 'sf-relay'));
    for (const [name, repoPath] of block.files) {
      mkdirSync(dirname(dir.file(name)), { recursive: true });
      copyFileSync(join(REPO_ROOT, repoPath), dir.file(name));
    }
    const script = block.commands
      .map((command, index) =>
        index < block.commands.length - 1 ? `${command} || exit 97` : command,
      )
      .join('\n');
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith('SFRELAY_')),
    );
    env.PATH = `${bin}${delimiter}${process.env.PATH ?? ''}`;
    return await new Promise<ShellRun>((resolveRun, reject) => {
      const child = spawn('sh', ['-c', script], { cwd: dir.path, env });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolveRun({ code, output }));
    });
  } finally {
    dir.remove();
  }
}

describe('the README and docs/', () => {
  const blocks = DOCS.flatMap(runnableBlocks);

  it('mark at least the README front page commands runnable', () => {
    expect(blocks.filter((block) => block.file === 'README.md').length).toBeGreaterThan(0);
  });

  // Concurrently: each block is a few CLI start-ups, mostly waiting on tsx compiling the sources.
  it.concurrent.each(blocks.map((block) => [`${block.file}:${block.line}`, block] as const))(
    'the runnable block at %s works exactly as written',
    async (_where, block) => {
      const run = await runBlock(block);
      expect(run.code, run.output).toBe(block.exitCode);
    },
    180_000,
  );

  it('link only to files and headings that exist', () => {
    const broken: string[] = [];
    for (const doc of DOCS) {
      for (const link of relativeLinks(doc)) {
        const [pathPart = '', anchor] = link.target.split('#');
        const target = pathPart === '' ? doc.path : resolve(dirname(doc.path), pathPart);
        const where = `${link.file}:${link.line} → ${link.target}`;
        if (!existsSync(target)) {
          broken.push(`${where}: no such file`);
        } else if (anchor !== undefined && target.endsWith('.md')) {
          if (!headingAnchors(readFileSync(target, 'utf8')).has(anchor)) {
            broken.push(`${where}: no heading with that anchor`);
          }
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('show only commands and options that `sf-relay … --help` lists', () => {
    const known = helpOptions();
    const unknown: string[] = [];
    for (const use of DOCS.flatMap(commandUses)) {
      const options = known.get(use.command);
      const where = `${use.file}:${use.line}`;
      if (options === undefined) {
        unknown.push(`${where}: sf-relay ${use.command} is not a command`);
        continue;
      }
      for (const option of use.options) {
        if (!options.has(option) && !['--help', '--version'].includes(option)) {
          unknown.push(`${where}: sf-relay ${use.command} has no ${option}`);
        }
      }
    }
    expect(unknown).toEqual([]);
  });

  it('keep the README front page short (the references live in docs/)', () => {
    const readme = DOCS.find((doc) => doc.name === 'README.md');
    expect(Buffer.byteLength(readme?.text ?? '')).toBeLessThan(12 * 1024);
  });
});

describe('the doc checks themselves', () => {
  const doc = (text: string) => ({ path: join(REPO_ROOT, 'x.md'), name: 'x.md', text });

  it('find options in inline code, in code blocks across `\\` lines, and after npm scripts', () => {
    const uses = commandUses(
      doc(
        [
          'Run `sf-relay start --role worker --no-migrate` or `npm run demo -- --json`.',
          '```sh',
          'SFRELAY_DB=x npx sf-relay check \\',
          '  --config relay.yaml   # --not-an-option in a comment',
          '```',
        ].join('\n'),
      ),
    );
    expect(uses.map((use) => [use.command, use.options])).toEqual([
      ['start', ['--role', '--no-migrate']],
      ['demo', ['--json']],
      ['check', ['--config']],
    ]);
  });

  it('read a runnable marker with its exit code and files', () => {
    const [block] = runnableBlocks(
      doc(
        '<!-- runnable exit=1 file=a.wsdl:test/x.wsdl -->\n\n```sh\nnpx sf-relay a \\\n  --b\n# c\nd\n```\n',
      ),
    );
    expect(block?.commands).toEqual(['npx sf-relay a    --b', 'd']);
    expect(block?.exitCode).toBe(1);
    expect([...(block?.files ?? [])]).toEqual([['a.wsdl', 'test/x.wsdl']]);
  });

  it('give headings the anchors GitHub gives them', () => {
    const anchors = headingAnchors(
      '# Contract first: WSDL and codegen\n## The proof: `sf-relay chaos`\n## A\n## A\n```sh\n# not a heading\n```\n',
    );
    expect([...anchors]).toEqual([
      'contract-first-wsdl-and-codegen',
      'the-proof-sf-relay-chaos',
      'a',
      'a-1',
    ]);
  });

  it('skip links to other sites and in code', () => {
    const links = relativeLinks(
      doc('[a](b.md#c) [d](https://e.f) `[g](h.md)`\n```\n[i](j.md)\n```'),
    );
    expect(links.map((link) => link.target)).toEqual(['b.md#c']);
  });
});
