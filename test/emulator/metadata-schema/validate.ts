import type { XmlElement } from '../../../src/soap/index.ts';
import { METADATA_NS } from '../../../src/emulator/index.ts';
import type { MetadataSchema } from './metadata-wsdl.ts';

/**
 * Checks one metadata element against its schema type: every child is an element the type
 * declares, in the type's sequence order, no more often than allowed, every required element is
 * present, and simple values fit their type (boolean, number, enumeration). Returns the
 * problems as `path: what`, empty when the element is valid.
 */
export function validateElement(
  element: XmlElement,
  type: string,
  schema: MetadataSchema,
  path = element.local,
): string[] {
  const problems: string[] = [];
  const sequence = schema.sequence(type);
  if (!sequence) {
    checkSimple(element, type, schema, path, problems);
    return problems;
  }
  if (element.text.trim() !== '') problems.push(`${path}: text in a complex element`);
  let position = 0;
  const counts = new Map<string, number>();
  for (const child of element.children) {
    const where = `${path}/${child.local}`;
    if (child.uri !== METADATA_NS) {
      problems.push(`${where}: not in the metadata namespace`);
      continue;
    }
    const index = sequence.findIndex((rule) => rule.name === child.local);
    const rule = sequence[index];
    if (!rule) {
      problems.push(`${where}: <${type}> has no element <${child.local}> (line ${child.line})`);
      continue;
    }
    if (index < position) {
      const previous = sequence[position]?.name ?? '';
      problems.push(
        `${where}: out of order, <${child.local}> must come before <${previous}> (line ${child.line})`,
      );
    }
    position = Math.max(position, index);
    const count = (counts.get(child.local) ?? 0) + 1;
    counts.set(child.local, count);
    if (count > rule.max) problems.push(`${where}: more than ${rule.max} (line ${child.line})`);
    problems.push(...validateElement(child, rule.type, schema, where));
  }
  for (const rule of sequence) {
    if (rule.min > 0 && !counts.has(rule.name) && rule.name !== 'fullName') {
      problems.push(`${path}: the required <${rule.name}> is missing`);
    }
  }
  return problems;
}

function checkSimple(
  element: XmlElement,
  type: string,
  schema: MetadataSchema,
  path: string,
  problems: string[],
): void {
  if (element.children.length > 0) {
    problems.push(`${path}: <${element.local}> is a ${type} and cannot hold elements`);
    return;
  }
  const value = element.text.trim();
  const values = schema.enumeration(type);
  if (values && !values.includes(value)) {
    problems.push(`${path}: ${JSON.stringify(value)} is not a ${type} (${values.join(', ')})`);
  } else if (type === 'xsd:boolean' && value !== 'true' && value !== 'false') {
    problems.push(`${path}: ${JSON.stringify(value)} is not a boolean`);
  } else if (
    ['xsd:int', 'xsd:double', 'xsd:long'].includes(type) &&
    !/^-?\d+(\.\d+)?$/.test(value)
  ) {
    problems.push(`${path}: ${JSON.stringify(value)} is not a number`);
  } else if (!values && !type.startsWith('xsd:')) {
    problems.push(`${path}: the schema has no type ${type}`);
  }
}
