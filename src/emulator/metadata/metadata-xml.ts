import { readFileSync } from 'node:fs';
import { messageOf } from '../../shared/index.ts';
import { readXml, type XmlElement } from '../../soap/index.ts';
import { MetadataError } from './metadata-error.ts';

/** Every Metadata API file's root element is in this namespace. */
export const METADATA_NS = 'http://soap.sforce.com/2006/04/metadata';

/** Metadata files are small; the hardened reader's limits only need room for deep flows. */
const LIMITS = { maxBytes: 4 * 1024 * 1024, maxDepth: 64, maxAttributes: 64 };

/**
 * Reads one Metadata API source file (`*.field-meta.xml`, `*.workflow-meta.xml`, …) with the
 * same hardened reader as messages, and checks its root element and namespace.
 */
export function readMetadataFile(file: string, rootName: string): XmlElement {
  let root: XmlElement;
  try {
    root = readXml(readFileSync(file), LIMITS);
  } catch (cause) {
    throw new MetadataError(`${file}: not readable XML: ${messageOf(cause)}`, { cause });
  }
  if (root.uri !== METADATA_NS || root.local !== rootName) {
    throw new MetadataError(
      `${file}: the root element must be <${rootName} xmlns="${METADATA_NS}">, not <${root.local}>${root.uri === METADATA_NS ? '' : ` in namespace "${root.uri}"`}`,
    );
  }
  return root;
}

/** Child elements of `parent` with this local name, in the metadata namespace. */
export function childrenNamed(parent: XmlElement, name: string): XmlElement[] {
  return parent.children.filter((child) => child.uri === METADATA_NS && child.local === name);
}

/** The text of the one child `name`, or undefined when absent. */
export function optionalText(parent: XmlElement, name: string): string | undefined {
  return childrenNamed(parent, name)[0]?.text.trim();
}

/** The text of the one child `name`; a `MetadataError` naming `where` when it is missing. */
export function requiredText(parent: XmlElement, name: string, where: string): string {
  const value = optionalText(parent, name);
  if (value === undefined || value === '') {
    throw new MetadataError(`${where}: <${parent.local}> has no <${name}>`);
  }
  return value;
}

export function booleanText(parent: XmlElement, name: string, where: string): boolean {
  const value = optionalText(parent, name);
  if (value === undefined) return false;
  if (value !== 'true' && value !== 'false') {
    throw new MetadataError(
      `${where}: <${name}> must be true or false, not ${JSON.stringify(value)}`,
    );
  }
  return value === 'true';
}
