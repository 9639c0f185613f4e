import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildProgram } from '../../src/cli/main.ts';
import { loadConfig } from '../../src/config/index.ts';
import { REPO_ROOT } from '../../src/process/sf-relay-bin.ts';
import { makeTempDir } from '../support/temp-dir.ts';

// The command table and the configuration example moved from the README to their docs pages.
const CLI_DOC = readFileSync(join(REPO_ROOT, 'docs', 'cli.md'), 'utf8');
const CONFIG_DOC = readFileSync(join(REPO_ROOT, 'docs', 'configuration.md'), 'utf8');

/** The CLI reference's command table: command name → the `--flags` its first cell shows. */
function readmeCommands(): Map<string, Set<string>> {
  const section = CLI_DOC.slice(CLI_DOC.indexOf('## Commands'));
  const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| command')));
  const rows = new Map<string, Set<string>>();
  for (const line of table.split('\n')) {
    const cell = /^\|\s*(`sf-relay .*?)\s+\|/.exec(line)?.[1];
    if (cell === undefined) continue;
    const name = /`sf-relay ([a-z]+)/.exec(cell)?.[1] ?? '';
    rows.set(name, new Set(cell.match(/--[a-z][a-z-]*/g) ?? []));
  }
  return rows;
}

/** The long options a command's own `--help` lists (its Options section, not its prose). */
function helpOptions(help: string): Set<string> {
  const options = help.slice(help.indexOf('Options:'));
  const flags = [...options.matchAll(/^\s+(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1] ?? '');
  return new Set(flags.filter((flag) => flag !== '--help'));
}

describe('the CLI reference and the configuration page', () => {
  const program = buildProgram(() => undefined);

  it('has a command table row for every command, and no row for a command that does not exist', () => {
    const commands = program.commands.map((command) => command.name()).sort();
    expect([...readmeCommands().keys()].sort()).toEqual(commands);
  });

  it.each(program.commands.map((command) => [command.name(), command] as const))(
    'lists every option `sf-relay %s --help` shows, and only those',
    (name, command) => {
      expect(readmeCommands().get(name)).toEqual(helpOptions(command.helpInformation()));
    },
  );

  it('writes defaults one way in the command table ("default X")', () => {
    const section = CLI_DOC.slice(CLI_DOC.indexOf('## Commands'), CLI_DOC.indexOf('## The demo'));
    expect(section).not.toMatch(/\(default:|defaults? to /);
  });

  it('has a configuration example that loads as it is', () => {
    const section = CONFIG_DOC.slice(CONFIG_DOC.indexOf('# Relay configuration'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    expect(parseYaml(yaml)).toBeTruthy();
    const dir = makeTempDir();
    try {
      const file = dir.file('relay.yaml');
      writeFileSync(file, yaml);
      expect(loadConfig({ file }).allowedOrganizationIds).toEqual(['00D5g000004XyZ1']);
    } finally {
      dir.remove();
    }
  });
});
