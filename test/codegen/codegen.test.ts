import { execFile } from 'node:child_process';
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodegenError, generateFromWsdl } from '../../src/codegen/index.ts';
import {
  compileContract,
  readOutboundWsdl,
  SoapRejectedError,
  type FieldKind,
  type SObjectRecord,
} from '../../src/soap/index.ts';
import { runCli } from '../support/relay-process.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';
import {
  messageWith,
  WSDL_FIXTURES,
  wsdlText,
  type WsdlFixture,
  assertMatchesContract,
} from '../support/wsdl-fixtures.ts';

const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** What a generated module exports, seen from a test that imports it at run time. */
interface GeneratedModule {
  readonly [name: string]: unknown;
}

type ToRecord = (record: SObjectRecord) => Record<string, unknown>;

let dir: TempDir;
beforeAll(() => {
  dir = makeTempDir('sf-relay-codegen-');
});
afterAll(() => dir.remove());

const outDir = (fixture: WsdlFixture): string => join(dir.path, fixture.objectType);

async function importGenerated(fixture: WsdlFixture): Promise<GeneratedModule> {
  const file = join(outDir(fixture), `${fixture.objectType}.ts`);
  return (await import(pathToFileURL(file).href)) as GeneratedModule;
}

function converter(module: GeneratedModule, objectType: string): ToRecord {
  const to = module[`to${objectType}`];
  if (typeof to !== 'function') throw new Error(`the module exports no to${objectType}`);
  return to as ToRecord;
}

describe('sf-relay codegen', () => {
  it('writes a module per WSDL, from the command line too, and every one compiles under tsc --strict', async () => {
    const [first, ...rest] = WSDL_FIXTURES;
    if (!first) throw new Error('no fixtures');
    const run = await runCli(['codegen', '--wsdl', first.path, '--out', outDir(first), '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ objectType: first.objectType, fields: 10 });
    for (const fixture of rest) {
      const written = generateFromWsdl({ wsdlPath: fixture.path, outDir: outDir(fixture) });
      expect(written.file).toBe(join(outDir(fixture), `${fixture.objectType}.ts`));
    }

    // A consumer's code using the generated types, compiled with the strictest settings.
    const usage = WSDL_FIXTURES.map(
      (
        { objectType },
        i,
      ) => `import { to${objectType}OutboundMessage as toMessage${i}, type ${objectType} } from './${objectType}/${objectType}.js';
export function id${i}(record: ${objectType}): string | null { return record.Id; }
export const message${i} = toMessage${i};`,
    ).join('\n');
    writeFileSync(
      join(dir.path, 'usage.ts'),
      `${usage}
export function amount(o: Opportunity): number { return o.Amount ?? 0; }
export function won(o: Opportunity): boolean { return o.IsWon === true; }
`,
    );
    writeFileSync(
      join(dir.path, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          noUnusedLocals: true,
          noUnusedParameters: true,
          noImplicitReturns: true,
          types: [],
        },
        include: ['**/*.ts'],
      }),
    );
    const compiled = await promisify(execFile)(process.execPath, [TSC, '-p', dir.path]).then(
      () => ({ code: 0, output: '' }),
      (error: { code?: number; stdout?: string }) => ({
        code: error.code ?? 1,
        output: error.stdout ?? '',
      }),
    );
    expect(compiled.output).toBe('');
    expect(compiled.code).toBe(0);
  });

  describe.each(WSDL_FIXTURES)('the module for $file', (fixture) => {
    it('converts a matching record to typed values and refuses a mismatching one naming the field', async () => {
      const to = converter(await importGenerated(fixture), fixture.objectType);
      const typed = to({
        type: fixture.objectType,
        id: fixture.recordId,
        fields: fixture.matching,
      });
      expect(typed.Id).toBe(fixture.recordId);
      for (const [name, text] of Object.entries(fixture.matching)) {
        if (text === null) expect(typed[name]).toBeNull();
        else if (text === 'true' || text === 'false') expect(typed[name]).toBe(text === 'true');
        else if (/^-?[\d.]+(E\d+)?$/.test(text) && typeof typed[name] === 'number') {
          expect(typed[name]).toBe(Number(text));
        } else expect(typed[name]).toBe(text);
      }
      const [badField, badValue] = fixture.badValue;
      const mismatches: [Record<string, string | null>, string][] = [
        [{ ...fixture.matching, Not_In_Wsdl__c: 'x' }, 'Not_In_Wsdl__c'],
        [{ ...fixture.matching, [badField]: badValue }, badField],
      ];
      for (const [fields, field] of mismatches) {
        expect(() => to({ type: fixture.objectType, id: fixture.recordId, fields })).toThrow(
          expect.objectContaining({ code: 'SOAP_CONTRACT_MISMATCH', field }),
        );
      }
      expect(() => to({ type: 'Lead', id: fixture.recordId, fields: {} })).toThrow(/is a Lead/);
    });
  });

  it('accepts and refuses exactly the values the listener does', async () => {
    // One WSDL declaring a field of every kind, checked against both validators.
    const samples: Record<FieldKind, string[]> = {
      id: ['0065g00000Q1w2eAAB', '0065g00000Q1w2e', '006', '0065g00000Q1w2eAAB!'],
      string: ['', 'anything <at> all'],
      boolean: ['true', 'false', '1', '0', 'TRUE', 'yes'],
      int: ['0', '-2147483648', '2147483647', '2147483648', '1.5', '+7'],
      long: ['9007199254740993', '-1', '1e3'],
      double: ['45000.0', '4.5E7', '-INF', 'NaN', '.5', '1.', 'e5', '1,5'],
      date: ['2026-07-11', '2026-13-01', '2026-7-11', '2026-07-11Z'],
      dateTime: [
        '2020-05-08T13:40:22.000Z',
        '2020-05-08T13:40:22Z',
        '2020-05-08 13:40:22',
        '2020-05-08T24:00:00Z',
      ],
      time: ['13:40:22.000Z', '13:40', '25:00:00'],
      base64Binary: ['', 'QUJD', 'QUI=', 'QQ==', 'QUJ', 'QU JD', '#'],
      anyType: ['x'],
    };
    const xsd: Record<FieldKind, string> = {
      id: 'ent:ID',
      string: 'xsd:string',
      boolean: 'xsd:boolean',
      int: 'xsd:int',
      long: 'xsd:long',
      double: 'xsd:double',
      date: 'xsd:date',
      dateTime: 'xsd:dateTime',
      time: 'xsd:time',
      base64Binary: 'xsd:base64Binary',
      anyType: 'xsd:anyType',
    };
    const opportunity = WSDL_FIXTURES.find((f) => f.objectType === 'Opportunity');
    if (!opportunity) throw new Error('no Opportunity fixture');
    const declarations = Object.entries(xsd)
      .map(
        ([kind, type]) =>
          `<element name="K_${kind}__c" nillable="true" minOccurs="0" type="${type}"/>`,
      )
      .join('\n');
    const text = wsdlText(opportunity).replace(
      '<element name="AccountId"',
      `${declarations}\n<element name="AccountId"`,
    );
    const wsdlPath = join(dir.path, 'every-kind.wsdl');
    writeFileSync(wsdlPath, text);
    const everyKind = { ...opportunity, path: wsdlPath, objectType: 'Opportunity' };
    generateFromWsdl({ wsdlPath, outDir: join(dir.path, 'every-kind') });
    const to = converter(
      (await import(
        pathToFileURL(join(dir.path, 'every-kind', 'Opportunity.ts')).href
      )) as GeneratedModule,
      'Opportunity',
    );
    const contract = compileContract(readOutboundWsdl(text, wsdlPath).contract);
    for (const [kind, values] of Object.entries(samples)) {
      for (const value of values) {
        const fields = { [`K_${kind}__c`]: value };
        const listener = accepts(() =>
          assertMatchesContract(messageWith('Opportunity', everyKind.recordId, fields), contract),
        );
        const generated = accepts(() =>
          to({ type: 'Opportunity', id: everyKind.recordId, fields }),
        );
        expect({ kind, value, generated }).toEqual({ kind, value, generated: listener });
      }
    }
    // And on text nobody thought of: digits, signs, dots, letters, spaces, in any order.
    const kinds = Object.keys(samples) as FieldKind[];
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.string({ unit: fc.constantFrom(...'0123456789+-.:eEZTtrufalsINF= AQ/'.split('')) }),
        (kind, value) => {
          const fields = { [`K_${kind}__c`]: value };
          const listener = accepts(() =>
            assertMatchesContract(messageWith('Opportunity', everyKind.recordId, fields), contract),
          );
          const generated = accepts(() =>
            to({ type: 'Opportunity', id: everyKind.recordId, fields }),
          );
          expect(generated).toBe(listener);
        },
      ),
    );
  });

  it.each([
    ['a file that is not XML', 'package.json', /is not a readable WSDL/],
    [
      'a SOAP message, not a WSDL',
      'test/fixtures/samples/no-session-id.xml',
      /not WSDL 1.1 definitions/,
    ],
    ['a missing file', 'no/such.wsdl', /cannot read no\/such\.wsdl/],
  ])('refuses %s with exit code 2 and a clear error', async (_case, wsdl, message) => {
    const run = await runCli(['codegen', '--wsdl', wsdl, '--out', join(dir.path, 'never')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it.each([
    [
      'another service',
      (text: string) =>
        text.replaceAll('http://soap.sforce.com/2005/09/outbound', 'urn:example:orders'),
      /targetNamespace is not http:\/\/soap\.sforce\.com\/2005\/09\/outbound/,
    ],
    [
      'no acknowledgement',
      (text: string) => text.replace('name="notificationsResponse"', 'name="somethingElse"'),
      /declares no notificationsResponse element/,
    ],
    [
      'an sObject type that is not declared',
      (text: string) => text.replace('type="ens:Opportunity"', 'type="ens:Contract"'),
      /sObject type Contract is not declared/,
    ],
    [
      'a field of a complex type',
      (text: string) =>
        text.replace(
          'name="Amount" nillable="true" minOccurs="0" type="xsd:double"',
          'name="Amount" nillable="true" minOccurs="0" type="ens:Address"',
        ),
      /Opportunity: field Amount has type ens:Address/,
    ],
    [
      'an undeclared prefix',
      (text: string) => text.replace('type="xsd:date"', 'type="q:date"'),
      /type="q:date" at line \d+ uses the undeclared prefix q/,
    ],
  ])('refuses a WSDL with %s, naming the problem', (_case, edit, message) => {
    const opportunity = WSDL_FIXTURES[0];
    if (!opportunity) throw new Error('no fixtures');
    const wsdlPath = join(dir.path, 'broken.wsdl');
    writeFileSync(wsdlPath, edit(readFileSync(opportunity.path, 'utf8')));
    expect(() => generateFromWsdl({ wsdlPath, outDir: join(dir.path, 'never') })).toThrow(
      CodegenError,
    );
    expect(() => generateFromWsdl({ wsdlPath, outDir: join(dir.path, 'never') })).toThrow(message);
  });
});

function accepts(check: () => unknown): boolean {
  try {
    check();
    return true;
  } catch (error) {
    if (error instanceof SoapRejectedError) return false;
    if (error instanceof Error && (error as { code?: string }).code === 'SOAP_CONTRACT_MISMATCH')
      return false;
    throw error;
  }
}
