import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One Markdown file of the user-facing docs. */
export interface DocFile {
  /** Absolute path. */
  readonly path: string;
  /** Path from the repository root, for messages. */
  readonly name: string;
  readonly text: string;
}

/** README.md and every docs/*.md: what a user reads. */
export function readDocs(root: string): DocFile[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .map((file) => join(root, 'docs', file));
  return [join(root, 'README.md'), ...docs].map((path) => ({
    path,
    name: relative(root, path),
    text: readFileSync(path, 'utf8'),
  }));
}

/** A line of a file, with whether it sits inside a fenced code block. */
interface Line {
  readonly text: string;
  readonly number: number;
  readonly fenced: boolean;
}

function lines(text: string): Line[] {
  let fenced = false;
  return text.split('\n').map((text, index) => {
    const fence = /^\s*```/.test(text);
    if (fence) fenced = !fenced;
    // A fence line itself counts as code: its info string is not prose.
    return { text, number: index + 1, fenced: fenced || fence };
  });
}

/** A shell block marked `<!-- runnable … -->` on the line before its fence (blank lines between are allowed). */
export interface RunnableBlock {
  readonly file: string;
  readonly line: number;
  /** The commands, continuation lines joined, comments and blank lines dropped. */
  readonly commands: readonly string[];
  /** The exit code the last command must end with (`exit=N`, default 0). */
  readonly exitCode: number;
  /** Repository files the test puts in the folder first (`file=NAME:REPO_PATH`), name → path. */
  readonly files: ReadonlyMap<string, string>;
}

const RUNNABLE = /^<!--\s*runnable\b(.*?)-->\s*$/;

export function runnableBlocks(doc: DocFile): RunnableBlock[] {
  const all = doc.text.split('\n');
  const blocks: RunnableBlock[] = [];
  all.forEach((text, index) => {
    const marker = RUNNABLE.exec(text.trim());
    if (!marker) return;
    let open = index + 1;
    while (all[open]?.trim() === '') open += 1;
    if (!/^```(sh|bash|shell)\s*$/.test(all[open] ?? '')) {
      throw new Error(`${doc.name}:${index + 1}: <!-- runnable --> is not followed by a sh block`);
    }
    const close = all.findIndex((line, at) => at > open && /^```\s*$/.test(line));
    const body = all.slice(open + 1, close).join('\n');
    const attributes = marker[1] ?? '';
    const files = new Map(
      [...attributes.matchAll(/\bfile=([^:\s]+):(\S+)/g)].map((m) => [m[1] ?? '', m[2] ?? '']),
    );
    blocks.push({
      file: doc.name,
      line: open + 1,
      commands: shellCommands(body),
      exitCode: Number(/\bexit=(\d+)/.exec(attributes)?.[1] ?? '0'),
      files,
    });
  });
  return blocks;
}

/** A shell block's commands: `\`-continued lines joined; blank and comment-only lines dropped. */
export function shellCommands(body: string): string[] {
  return body
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** A relative link `[text](target)` or image `![alt](target)` outside code. */
export interface Link {
  readonly file: string;
  readonly line: number;
  readonly target: string;
}

export function relativeLinks(doc: DocFile): Link[] {
  const links: Link[] = [];
  for (const line of lines(doc.text)) {
    if (line.fenced) continue;
    const prose = line.text.replace(/`[^`]*`/g, '');
    for (const match of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = match[1] ?? '';
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      links.push({ file: doc.name, line: line.number, target });
    }
  }
  return links;
}

/**
 * The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces to
 * hyphens, and `-1`, `-2`, … on repeats (the github-slugger rules).
 */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of lines(text)) {
    if (line.fenced) continue;
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line.text)?.[1];
    if (heading === undefined) continue;
    const plain = heading
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/[`*]/g, '')
      .toLowerCase();
    const slug = plain.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  for (const match of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1] ?? '');
  return anchors;
}

/** `sf-relay <command> --option …` as written in a doc: in inline code or in a code block. */
export interface CommandUse {
  readonly file: string;
  readonly line: number;
  /** The subcommand, or '' for `sf-relay --help` itself. */
  readonly command: string;
  readonly options: readonly string[];
}

// `npm run demo -- --json` is `sf-relay demo --json` (package.json's scripts).
const INVOCATION =
  /(?<=^|[\s(`$])(?:sf-relay(?: +([a-z][a-z-]*))?|npm run (demo|chaos)\b(?: --)?)/g;

function usesIn(fragment: string, file: string, line: number): CommandUse[] {
  const starts = [...fragment.matchAll(INVOCATION)];
  return starts.map((start, index) => {
    const from = (start.index ?? 0) + start[0].length;
    const to = starts[index + 1]?.index ?? fragment.length;
    // Options run until a comment, a pipe, a list separator or the next invocation.
    const rest = fragment.slice(from, to).split(/\s#|\s\|\s|;|&&|·/)[0] ?? '';
    const options = [...rest.matchAll(/(?<![\w-])(--[a-z][a-z-]*)/g)].map((m) => m[1] ?? '');
    return { file, line, command: start[1] ?? start[2] ?? '', options };
  });
}

export function commandUses(doc: DocFile): CommandUse[] {
  const uses: CommandUse[] = [];
  const all = lines(doc.text);
  all.forEach((line, index) => {
    if (line.fenced) {
      // Join `\` continuations so options on the next line belong to the command above.
      if (all[index - 1]?.fenced && all[index - 1]?.text.trimEnd().endsWith('\\')) return;
      let text = line.text;
      for (let at = index; all[at]?.text.trimEnd().endsWith('\\') && all[at + 1]?.fenced; at += 1) {
        text = `${text.trimEnd().slice(0, -1)} ${all[at + 1]?.text ?? ''}`;
      }
      uses.push(...usesIn(text, doc.name, line.number));
      return;
    }
    for (const span of line.text.matchAll(/`([^`]+)`/g)) {
      uses.push(...usesIn(span[1] ?? '', doc.name, line.number));
    }
  });
  return uses;
}
