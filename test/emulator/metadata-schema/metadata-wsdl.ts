import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readXml, type XmlElement } from '../../../src/soap/index.ts';

const XSD = 'http://www.w3.org/2001/XMLSchema';

/** One child element a complex type allows, in its schema sequence. */
export interface ElementRule {
  readonly name: string;
  /** `xsd:string`, `xsd:boolean`, … or the local name of a type in the metadata schema. */
  readonly type: string;
  readonly min: number;
  readonly max: number;
}

export interface MetadataSchema {
  /** The flattened sequence of a complex type (its bases' elements first), or undefined. */
  sequence(type: string): readonly ElementRule[] | undefined;
  /** The allowed values of an enumeration type, or undefined when `type` is not one. */
  enumeration(type: string): readonly string[] | undefined;
  readonly version: string;
}

/**
 * The Metadata API WSDL that jsforce ships (`src/api/metadata/wsdl.xml` in the installed
 * package): Salesforce's own schema for Flow, Workflow, CustomField, PermissionSet, ApexClass
 * and ConnectedApp, at the API version jsforce generated it from.
 */
export function jsforceMetadataWsdlPath(): string {
  const require = createRequire(import.meta.url);
  const packageJson = require.resolve('jsforce/package.json');
  return join(dirname(packageJson), 'src/api/metadata/wsdl.xml');
}

const attr = (element: XmlElement, name: string): string | undefined =>
  element.attributes.get(name);
const xsdChildren = (element: XmlElement, name: string): XmlElement[] =>
  element.children.filter((child) => child.uri === XSD && child.local === name);
const localType = (qualified: string): string =>
  qualified.startsWith('xsd:') ? qualified : qualified.replace(/^tns:/, '');

/**
 * What Salesforce added to the schema after the WSDL's version, each with the reference page
 * that documents it (see newer-elements.ts): elements per complex type, values per enumeration.
 */
export interface SchemaAdditions {
  /** Elements added to a type the WSDL has. */
  readonly elements: Readonly<Record<string, readonly ElementRule[]>>;
  /** Values added to an enumeration the WSDL has, or enumerations it lacks. */
  readonly values: Readonly<Record<string, readonly string[]>>;
  /** Complex types the WSDL lacks, as their sequence. */
  readonly types: Readonly<Record<string, readonly ElementRule[]>>;
}

/**
 * Inserts each added element into its type's own sequence where its name sorts. Salesforce's
 * sequences are alphabetical (the test checks it for every type that receives an addition),
 * which is where a retrieve places a newer element.
 */
function withAdded(own: ElementRule[], added: readonly ElementRule[]): ElementRule[] {
  const result = [...own];
  for (const rule of added) {
    const at = result.findIndex((existing) => existing.name.localeCompare(rule.name) > 0);
    result.splice(at === -1 ? result.length : at, 0, rule);
  }
  return result;
}

export function readMetadataWsdl(
  additions: SchemaAdditions = { elements: {}, values: {}, types: {} },
  file = jsforceMetadataWsdlPath(),
): MetadataSchema & { ownSequence(type: string): readonly ElementRule[] | undefined } {
  const root = readXml(readFileSync(file), {
    maxBytes: 16 * 1024 * 1024,
    maxDepth: 64,
    maxAttributes: 64,
  });
  const schema = root.children
    .filter((child) => child.local === 'types')
    .flatMap((types) => xsdChildren(types, 'schema'))
    .find(
      (candidate) =>
        attr(candidate, 'targetNamespace') === 'http://soap.sforce.com/2006/04/metadata',
    );
  if (!schema) throw new Error(`${file}: no schema for the metadata namespace`);
  const version =
    /Salesforce\.com Metadata API version ([\d.]+)/.exec(
      readFileSync(file, 'utf8').slice(0, 4000),
    )?.[1] ?? 'unknown';

  const complex = new Map<string, XmlElement>();
  const enums = new Map<string, string[]>();
  for (const type of xsdChildren(schema, 'complexType')) {
    const name = attr(type, 'name');
    if (name) complex.set(name, type);
  }
  for (const type of xsdChildren(schema, 'simpleType')) {
    const name = attr(type, 'name');
    const restriction = xsdChildren(type, 'restriction')[0];
    if (name && restriction) {
      enums.set(name, [
        ...xsdChildren(restriction, 'enumeration').map((value) => attr(value, 'value') ?? ''),
        ...(additions.values[name] ?? []),
      ]);
    }
  }

  const rules = (sequence: XmlElement | undefined): ElementRule[] =>
    sequence
      ? xsdChildren(sequence, 'element').map((element) => ({
          name: attr(element, 'name') ?? '',
          type: localType(attr(element, 'type') ?? 'xsd:string'),
          min: Number(attr(element, 'minOccurs') ?? '1'),
          max:
            attr(element, 'maxOccurs') === 'unbounded'
              ? Infinity
              : Number(attr(element, 'maxOccurs') ?? '1'),
        }))
      : [];

  for (const [name, values] of Object.entries(additions.values)) {
    if (!enums.has(name)) enums.set(name, [...values]);
  }
  const own = (name: string): ElementRule[] | undefined => {
    const type = complex.get(name);
    if (!type) return additions.types[name] ? [...(additions.types[name] ?? [])] : undefined;
    const extension = xsdChildren(type, 'complexContent').flatMap((content) =>
      xsdChildren(content, 'extension'),
    )[0];
    return rules(xsdChildren(extension ?? type, 'sequence')[0]);
  };
  const flattened = new Map<string, ElementRule[]>();
  const sequence = (name: string): ElementRule[] | undefined => {
    const cached = flattened.get(name);
    if (cached) return cached;
    const type = complex.get(name);
    if (!type) return own(name);
    const extension = xsdChildren(type, 'complexContent').flatMap((content) =>
      xsdChildren(content, 'extension'),
    )[0];
    const mine = withAdded(own(name) ?? [], additions.elements[name] ?? []);
    const result = extension
      ? [...(sequence(localType(attr(extension, 'base') ?? '')) ?? []), ...mine]
      : mine;
    flattened.set(name, result);
    return result;
  };
  return { sequence, ownSequence: own, enumeration: (name) => enums.get(name), version };
}
