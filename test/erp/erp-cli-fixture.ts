// Runs `erp-command` alone, as `sf-relay erp` would, before the lead wires it into main.ts.
import { Command } from 'commander';
import { registerErpCommand } from '../../src/cli/erp-command.ts';

const program = new Command().name('sf-relay');
let work: (() => Promise<number>) | undefined;
registerErpCommand(program, (body) => (work = body));
await program.parseAsync(process.argv);
process.exitCode = work ? await work() : 2;
