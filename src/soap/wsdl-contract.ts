import { WsdlError } from './errors.ts';
import type { FieldKind } from './field-kinds.ts';
import { OUTBOUND_NS, SOBJECT_ENTERPRISE_NS } from './outbound-message.ts';
import type { QName, XmlElement } from './read-xml.ts';

export const XSD_NS = 'http://www.w3.org/2001/XMLSchema';
export const ENTERPRISE_NS = 'urn:enterprise.soap.sforce.com';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** One field of an sObject as the WSDL declares it. */
export interface FieldContract {
  /** The element name, exactly as Salesforce writes it (`Order_Number__c`). */
  readonly name: string;
  readonly kind: FieldKind;
  /** The declared type as written in the WSDL, for messages (`xsd:double`, `ent:ID`). */
  readonly declaredType: string;
  /** `nillable="true"`: the field may arrive as `xsi:nil="true"`. */
  readonly nillable: boolean;
  /** `minOccurs` is not 0: the field must be present in every notification carrying data. */
  readonly required: boolean;
}

/** An sObject type the WSDL declares, without the base type's `Id` and `fieldsToNull`. */
export interface SObjectContract {
  readonly name: string;
  readonly fields: readonly FieldContract[];
}

/** What a Salesforce outbound-message WSDL promises about the sObjects it will carry. */
export interface OutboundContract {
  /** The sObject type `Notification/sObject` is bound to, e.g. `Opportunity`. */
  readonly objectType: string;
  /** Every concrete sObject type the WSDL declares; the bound one among them. */
  readonly objects: readonly SObjectContract[];
}

/** Built-in XML Schema types Salesforce's generator uses, and close relatives read the same way. */
const XSD_KINDS: Readonly<Record<string, FieldKind>> = {
  string: 'string',
  normalizedString: 'string',
  token: 'string',
  anyURI: 'string',
  boolean: 'boolean',
  int: 'int',
  short: 'int',
  byte: 'int',
  integer: 'long',
  long: 'long',
  double: 'double',
  float: 'double',
  decimal: 'double',
  date: 'date',
  dateTime: 'dateTime',
  time: 'time',
  base64Binary: 'base64Binary',
  anyType: 'anyType',
};

type Scope = ReadonlyMap<string, string>;

interface ScopedElement {
  readonly element: XmlElement;
  readonly scope: Scope;
}

/**
 * Reads the sObject types of an outbound-message WSDL (`definitions` already read and checked
 * to be one) into a contract. QName-valued attributes (`type="ent:ID"`) are resolved against
 * the namespace declarations in scope, never by prefix text. Throws `WsdlError` naming the
 * field or type it cannot read.
 */
export function readOutboundContract(definitions: XmlElement, source: string): OutboundContract {
  const fail = (why: string): WsdlError =>
    new WsdlError(`${source} is not a Salesforce outbound-message WSDL: ${why}`);
  const all = scopedDescendants(definitions, new Map());
  const schemas = all.filter(({ element }) => element.uri === XSD_NS && element.local === 'schema');
  const schemaFor = (ns: string): ScopedElement | undefined =>
    schemas.find(({ element }) => element.attributes.get('targetNamespace') === ns);

  const outbound = schemaFor(OUTBOUND_NS);
  if (!outbound) throw fail(`it declares no schema for ${OUTBOUND_NS}`);
  const sObjectElement = scopedDescendants(outbound.element, outbound.scope).find(
    ({ element }) =>
      element.uri === XSD_NS &&
      element.local === 'element' &&
      element.attributes.get('name') === 'sObject',
  );
  const boundType = sObjectElement && attributeQName(sObjectElement, 'type', fail);
  if (!boundType) throw fail('no Notification declares a typed sObject element');
  if (boundType.uri !== SOBJECT_ENTERPRISE_NS) {
    throw fail(
      `the Notification's sObject has type {${boundType.uri}}${boundType.local}, not a type in ${SOBJECT_ENTERPRISE_NS}`,
    );
  }

  const sObjects = schemaFor(SOBJECT_ENTERPRISE_NS);
  if (!sObjects) throw fail(`it declares no schema for ${SOBJECT_ENTERPRISE_NS}`);
  const simpleTypes = new Map<string, ScopedElement>();
  for (const schema of schemas) {
    const ns = schema.element.attributes.get('targetNamespace') ?? '';
    for (const child of scopedChildren(schema)) {
      const name = child.element.attributes.get('name');
      if (child.element.uri === XSD_NS && child.element.local === 'simpleType' && name) {
        simpleTypes.set(`{${ns}}${name}`, child);
      }
    }
  }

  const objects: SObjectContract[] = [];
  for (const type of scopedChildren(sObjects)) {
    if (type.element.uri !== XSD_NS || type.element.local !== 'complexType') continue;
    const name = type.element.attributes.get('name');
    // The abstract base type carries only `fieldsToNull` and `Id`; it is not an sObject to send.
    if (name === undefined || name === 'sObject') continue;
    objects.push({
      name,
      fields: readFields(type, name, simpleTypes, (why) => fail(`${name}: ${why}`)),
    });
  }
  if (!objects.some((object) => object.name === boundType.local)) {
    throw fail(
      `the Notification's sObject type ${boundType.local} is not declared in the ${SOBJECT_ENTERPRISE_NS} schema`,
    );
  }
  return { objectType: boundType.local, objects };
}

/** The contract of the sObject the notifications carry. */
export function boundObject(contract: OutboundContract): SObjectContract {
  const bound = contract.objects.find((object) => object.name === contract.objectType);
  // readOutboundContract never returns a contract without it.
  if (!bound) throw new WsdlError(`the WSDL declares no ${contract.objectType} type`);
  return bound;
}

function readFields(
  type: ScopedElement,
  objectName: string,
  simpleTypes: ReadonlyMap<string, ScopedElement>,
  fail: (why: string) => WsdlError,
): FieldContract[] {
  const fields: FieldContract[] = [];
  const declarations = scopedDescendants(type.element, type.scope).filter(
    ({ element }) => element.uri === XSD_NS && element.local === 'element',
  );
  for (const declaration of declarations) {
    const name = declaration.element.attributes.get('name');
    if (name === undefined) {
      throw fail(`an element of ${objectName} has no name (element refs are not supported)`);
    }
    if (name === 'Id' || name === 'fieldsToNull') continue;
    if (fields.some((field) => field.name === name)) throw fail(`field ${name} is declared twice`);
    const declaredType = declaration.element.attributes.get('type');
    if (declaredType === undefined) {
      throw fail(`field ${name} has no type attribute (anonymous types are not supported)`);
    }
    const typeName = attributeQName(declaration, 'type', fail);
    const kind = typeName && kindOf(typeName, simpleTypes, new Set(), fail);
    if (!kind) {
      throw fail(
        `field ${name} has type ${declaredType}, which an outbound message cannot carry as a value (supported: XML Schema simple types and ${ENTERPRISE_NS} ID)`,
      );
    }
    fields.push({
      name,
      kind,
      declaredType,
      nillable: declaration.element.attributes.get('nillable') === 'true',
      required: (declaration.element.attributes.get('minOccurs') ?? '1') !== '0',
    });
  }
  return fields;
}

function kindOf(
  type: QName,
  simpleTypes: ReadonlyMap<string, ScopedElement>,
  seen: Set<string>,
  fail: (why: string) => WsdlError,
): FieldKind | undefined {
  if (type.uri === XSD_NS) return XSD_KINDS[type.local];
  if (type.uri === ENTERPRISE_NS && type.local === 'ID') return 'id';
  // Any other named simple type: follow its restriction to a built-in type.
  const key = `{${type.uri}}${type.local}`;
  const simpleType = simpleTypes.get(key);
  if (!simpleType || seen.has(key)) return undefined;
  seen.add(key);
  const restriction = scopedChildren(simpleType).find(
    ({ element }) => element.uri === XSD_NS && element.local === 'restriction',
  );
  const base = restriction && attributeQName(restriction, 'base', fail);
  return base ? kindOf(base, simpleTypes, seen, fail) : undefined;
}

/** A QName-valued attribute resolved against the namespaces in scope of its element. */
function attributeQName(
  scoped: ScopedElement,
  attribute: string,
  fail: (why: string) => WsdlError,
): QName | undefined {
  const value = scoped.element.attributes.get(attribute)?.trim();
  if (value === undefined) return undefined;
  const colon = value.indexOf(':');
  const prefix = colon === -1 ? '' : value.slice(0, colon);
  const local = colon === -1 ? value : value.slice(colon + 1);
  const uri = scoped.scope.get(prefix);
  if (uri !== undefined) return { uri, local };
  if (prefix === '') return { uri: '', local };
  throw fail(
    `${attribute}="${value}" at line ${scoped.element.line} uses the undeclared prefix ${prefix}`,
  );
}

function withDeclarations(element: XmlElement, scope: Scope): Scope {
  let next: Map<string, string> | undefined;
  for (const [key, value] of element.attributes) {
    if (!key.startsWith(`{${XMLNS_NS}}`)) continue;
    const local = key.slice(XMLNS_NS.length + 2);
    next ??= new Map(scope);
    // saxes reports the default declaration as local name `xmlns`.
    next.set(local === 'xmlns' ? '' : local, value);
  }
  return next ?? scope;
}

function scopedChildren(parent: ScopedElement): ScopedElement[] {
  return parent.element.children.map((element) => ({
    element,
    scope: withDeclarations(element, parent.scope),
  }));
}

function scopedDescendants(root: XmlElement, rootScope: Scope): ScopedElement[] {
  const found: ScopedElement[] = [];
  const visit = (parent: ScopedElement): void => {
    for (const child of scopedChildren(parent)) {
      found.push(child);
      visit(child);
    }
  };
  visit({ element: root, scope: withDeclarations(root, rootScope) });
  return found;
}
