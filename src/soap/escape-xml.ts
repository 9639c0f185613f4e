import { XmlRenderError } from './errors.ts';

// XML 1.0 Char production: anything outside it cannot be written at all, not even escaped.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const TEXT_SPECIALS = /[&<>\r]/g;
const ATTRIBUTE_SPECIALS = /[&<>"\r\n\t]/g;
const REPLACEMENTS: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  // Parsers turn a literal CR (and CR LF) into LF; a reference keeps the value as it was.
  '\r': '&#13;',
  '\n': '&#10;',
  '\t': '&#9;',
};

function assertRepresentable(value: string): void {
  const bad = NOT_XML_CHAR.exec(value);
  if (bad) {
    const code = bad[0].codePointAt(0) ?? 0;
    throw new XmlRenderError(
      `U+${code.toString(16).toUpperCase().padStart(4, '0')} cannot appear in an XML 1.0 document`,
    );
  }
}

export function escapeText(value: string): string {
  assertRepresentable(value);
  return value.replace(TEXT_SPECIALS, (ch) => REPLACEMENTS[ch] ?? ch);
}

export function escapeAttribute(value: string): string {
  assertRepresentable(value);
  return value.replace(ATTRIBUTE_SPECIALS, (ch) => REPLACEMENTS[ch] ?? ch);
}
