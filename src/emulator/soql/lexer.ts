import { malformedQuery } from './soql-errors.ts';

export type Token =
  | { readonly kind: 'ident'; readonly text: string; readonly pos: number }
  | {
      readonly kind: 'string';
      readonly text: string;
      readonly pos: number;
      /** The value with every escape decoded (`\%` → `%`), as `=` and `IN` compare it. */
      readonly value: string;
      /** The value keeping `\%` and `\_` escaped, which only LIKE gives a meaning. */
      readonly likePattern: string;
    }
  | { readonly kind: 'number'; readonly text: string; readonly pos: number; readonly value: number }
  | { readonly kind: 'date'; readonly text: string; readonly pos: number }
  | { readonly kind: 'datetime'; readonly text: string; readonly pos: number }
  | { readonly kind: 'op'; readonly text: string; readonly pos: number }
  | { readonly kind: 'punct'; readonly text: string; readonly pos: number }
  | { readonly kind: 'eof'; readonly text: '<EOF>'; readonly pos: number };

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /[+-]?\d+(?:\.\d+)?/y;
// SOQL date and dateTime literals are unquoted; a dateTime always carries a zone (docs: "Date Formats").
const DATE_TIME =
  /\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2}))?(?![A-Za-z0-9_:])/y;
const OPERATORS = ['!=', '<>', '<=', '>=', '=', '<', '>'];
const PUNCT = '(),.:';

/** SOQL string escapes (docs: "Quoted String Escape Sequences"). */
const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  N: '\n',
  r: '\r',
  R: '\r',
  t: '\t',
  T: '\t',
  b: '\b',
  B: '\b',
  f: '\f',
  F: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

function match(pattern: RegExp, source: string, pos: number): string | undefined {
  pattern.lastIndex = pos;
  return pattern.exec(source)?.[0];
}

function readString(source: string, start: number): { token: Token; end: number } {
  let value = '';
  let likePattern = '';
  let i = start + 1;
  while (i < source.length) {
    const ch = source.charAt(i);
    if (ch === "'") {
      return {
        token: { kind: 'string', text: source.slice(start, i + 1), pos: start, value, likePattern },
        end: i + 1,
      };
    }
    if (ch !== '\\') {
      value += ch;
      likePattern += ch;
      i++;
      continue;
    }
    const next = source.charAt(i + 1);
    const simple = ESCAPES[next];
    if (simple !== undefined) {
      value += simple;
      likePattern += simple === '\\' ? '\\\\' : simple;
    } else if (next === '%' || next === '_') {
      value += next;
      likePattern += `\\${next}`;
    } else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 2, i + 6))) {
      const decoded = String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16));
      value += decoded;
      likePattern += decoded;
      i += 4;
    } else {
      throw malformedQuery(
        `Invalid string literal '${source.slice(start, Math.min(source.length, i + 2))}'. Illegal character sequence '\\${next}' in string literal.`,
      );
    }
    i += 2;
  }
  throw malformedQuery(`line 1:${start} mismatched character '<EOF>' expecting '''`);
}

/** Splits a query into tokens; keywords stay identifiers, the parser knows them by position. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < source.length) {
    const ch = source.charAt(pos);
    if (/\s/.test(ch)) {
      pos++;
      continue;
    }
    if (ch === "'") {
      const { token, end } = readString(source, pos);
      tokens.push(token);
      pos = end;
      continue;
    }
    const ident = match(IDENT, source, pos);
    if (ident !== undefined) {
      tokens.push({ kind: 'ident', text: ident, pos });
      pos += ident.length;
      continue;
    }
    const dateTime = match(DATE_TIME, source, pos);
    if (dateTime !== undefined) {
      tokens.push({ kind: dateTime.includes('T') ? 'datetime' : 'date', text: dateTime, pos });
      pos += dateTime.length;
      continue;
    }
    const number = match(NUMBER, source, pos);
    if (number !== undefined) {
      tokens.push({ kind: 'number', text: number, pos, value: Number(number) });
      pos += number.length;
      continue;
    }
    const op = OPERATORS.find((candidate) => source.startsWith(candidate, pos));
    if (op !== undefined) {
      tokens.push({ kind: 'op', text: op, pos });
      pos += op.length;
      continue;
    }
    if (PUNCT.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch, pos });
      pos++;
      continue;
    }
    throw malformedQuery(`line 1:${pos} no viable alternative at character '${ch}'`);
  }
  tokens.push({ kind: 'eof', text: '<EOF>', pos: source.length });
  return tokens;
}
