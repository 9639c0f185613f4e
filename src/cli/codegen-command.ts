import type { Command } from 'commander';

interface CodegenOptions {
  wsdl: string;
  out: string;
  json?: boolean;
}

export function registerCodegenCommand(
  program: Command,
  run: (work: () => Promise<number>) => void,
): void {
  program
    .command('codegen')
    .description(
      'write TypeScript types and a validator from the WSDL Salesforce generates for an outbound message',
    )
    .requiredOption(
      '--wsdl <file>',
      'the outbound message WSDL (Setup → Outbound Messages → Click for WSDL)',
    )
    .requiredOption('--out <dir>', 'folder to write <Object>.ts into (created if missing)')
    .option('--json', 'print what was written as one JSON object')
    .addHelpText(
      'after',
      '\nThe module has an interface per sObject type, <Object>Notification and <Object>OutboundMessage,\n' +
        'and to<Object>(record), which refuses a record not matching the WSDL with an error naming\n' +
        'the field. It compiles under tsc --strict and needs nothing from sf-relay at run time.\n' +
        'Exit code 2 when the WSDL is not an outbound-message WSDL or the folder cannot be written.',
    )
    .action((options: CodegenOptions) =>
      run(async () => {
        const { CodegenError, generateFromWsdl } = await import('../codegen/index.ts');
        let generated;
        try {
          generated = generateFromWsdl({ wsdlPath: options.wsdl, outDir: options.out });
        } catch (error) {
          if (!(error instanceof CodegenError)) throw error;
          process.stderr.write(`sf-relay codegen: ${error.message}\n`);
          return 2;
        }
        if (options.json) {
          process.stdout.write(`${JSON.stringify(generated)}\n`);
        } else {
          process.stdout.write(
            `wrote ${generated.file}: ${generated.objects.join(', ')} (${generated.objectType}: Id + ${generated.fields} fields)\n`,
          );
        }
        return 0;
      }),
    );
}
