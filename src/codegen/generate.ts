import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { messageOf, SfRelayError } from '../shared/index.ts';
import { isApiName, readOutboundWsdl, type OutboundContract } from '../soap/index.ts';
import { renderTypeScript } from './render-typescript.ts';

/** The WSDL or the output folder is not usable; the message names which and why. */
export class CodegenError extends SfRelayError {
  readonly code = 'CODEGEN_FAILED';
}

export interface GenerateOptions {
  readonly wsdlPath: string;
  readonly outDir: string;
}

export interface GeneratedModule {
  /** The file written, e.g. `DIR/Opportunity.ts`. */
  readonly file: string;
  /** The sObject type the notifications carry. */
  readonly objectType: string;
  /** Every sObject type given an interface. */
  readonly objects: readonly string[];
  readonly fields: number;
}

/**
 * `sf-relay codegen`: reads an outbound-message WSDL and writes `<Object>.ts` into `outDir`
 * (created if missing). The WSDL is read with the same checks as `sf-relay start --wsdl`, so
 * a file codegen accepts is one the relay accepts, and the other way round.
 */
export function generateFromWsdl(options: GenerateOptions): GeneratedModule {
  let text: string;
  try {
    text = readFileSync(options.wsdlPath, 'utf8');
  } catch (cause) {
    throw new CodegenError(`--wsdl: cannot read ${options.wsdlPath}: ${messageOf(cause)}`, {
      cause,
    });
  }
  let contract: OutboundContract;
  try {
    contract = readOutboundWsdl(text, options.wsdlPath).contract;
  } catch (cause) {
    throw new CodegenError(`--wsdl: ${messageOf(cause)}`, { cause });
  }
  for (const object of contract.objects) {
    // Names become TypeScript identifiers; Salesforce API names always qualify.
    if (!isApiName(object.name)) {
      throw new CodegenError(
        `--wsdl: ${options.wsdlPath} declares the sObject type ${JSON.stringify(object.name)}, which is not a Salesforce API name`,
      );
    }
  }
  const source = renderTypeScript(contract, { source: basename(options.wsdlPath) });
  const file = join(options.outDir, `${contract.objectType}.ts`);
  try {
    mkdirSync(options.outDir, { recursive: true });
    writeFileSync(file, source);
  } catch (cause) {
    throw new CodegenError(`--out: cannot write ${file}: ${messageOf(cause)}`, { cause });
  }
  const bound = contract.objects.find((object) => object.name === contract.objectType);
  return {
    file,
    objectType: contract.objectType,
    objects: contract.objects.map((object) => object.name),
    fields: bound?.fields.length ?? 0,
  };
}
