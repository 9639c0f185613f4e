/**
 * The value kinds an outbound message's sObject fields can have, and the lexical form of each
 * as Salesforce writes it (SALESFORCE.md §1: dateTime `2020-05-08T13:40:22.000Z`, date
 * `2020-07-11`, booleans `true`/`false`, currency and percent as doubles like `45000.0`).
 *
 * One table serves the listener's run-time check and the code `sf-relay codegen` writes, so
 * the two can never disagree about what a valid value is.
 */
export type FieldKind =
  | 'id'
  | 'string'
  | 'boolean'
  | 'int'
  | 'long'
  | 'double'
  | 'date'
  | 'dateTime'
  | 'time'
  | 'base64Binary'
  | 'anyType';

/** XML Schema lexical patterns (XSD 1.0 part 2), anchored. `string`/`anyType` take any text. */
export const FIELD_KIND_PATTERNS: Readonly<Record<FieldKind, string | null>> = {
  // 15-character (case-sensitive) or 18-character ids; the WSDL's ID type says 18, Salesforce
  // accepts both on input, and the parser already checks the record Id the same way.
  id: '^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$',
  string: null,
  boolean: '^(?:true|false|1|0)$',
  int: '^[+-]?\\d{1,10}$',
  long: '^[+-]?\\d{1,19}$',
  double: '^(?:[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|-?INF|NaN)$',
  date: '^-?\\d{4,}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])(?:Z|[+-]\\d{2}:\\d{2})?$',
  dateTime:
    '^-?\\d{4,}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?(?:Z|[+-]\\d{2}:\\d{2})?$',
  time: '^(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?(?:Z|[+-]\\d{2}:\\d{2})?$',
  // Groups of four base64 characters, whitespace allowed between them (XSD collapses it).
  base64Binary:
    '^(?:\\s*[A-Za-z0-9+/]\\s*[A-Za-z0-9+/]\\s*[A-Za-z0-9+/]\\s*[A-Za-z0-9+/])*(?:\\s*[A-Za-z0-9+/]\\s*[A-Za-z0-9+/]\\s*=\\s*=|\\s*[A-Za-z0-9+/]\\s*[A-Za-z0-9+/]\\s*[A-Za-z0-9+/]\\s*=)?\\s*$',
  anyType: null,
};

/** The TypeScript type generated code gives a field of each kind (besides `null` for nil). */
export const FIELD_KIND_TS_TYPES: Readonly<Record<FieldKind, string>> = {
  id: 'string',
  string: 'string',
  boolean: 'boolean',
  int: 'number',
  // A long can exceed 2^53: kept as text so no digit is silently lost.
  long: 'string',
  double: 'number',
  date: 'string',
  dateTime: 'string',
  time: 'string',
  base64Binary: 'string',
  anyType: 'string',
};

const COMPILED = new Map<FieldKind, RegExp | null>(
  (Object.entries(FIELD_KIND_PATTERNS) as [FieldKind, string | null][]).map(([kind, source]) => [
    kind,
    source === null ? null : new RegExp(source),
  ]),
);

/** Whether `value` is a valid lexical value of `kind`. */
export function matchesFieldKind(kind: FieldKind, value: string): boolean {
  const pattern = COMPILED.get(kind);
  if (pattern === undefined || pattern === null) return true;
  if (!pattern.test(value)) return false;
  // The pattern bounds the digits; the range is checked on the number itself.
  if (kind === 'int') return Math.abs(Number(value)) <= 2 ** 31 - (value.startsWith('-') ? 0 : 1);
  return true;
}
