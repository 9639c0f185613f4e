import type { FieldType, StoredValue } from '../schema/types.ts';

/**
 * A number as Java's `Double.toString` writes it, which is what the SOAP API sends for double,
 * currency and percent fields: `12000.0`, `0.5`, and scientific notation outside
 * [10^-3, 10^7) (`1.5E7`).
 */
export function formatDouble(value: number): string {
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const text = String(value);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa = '0', exponent = '0'] = value.toExponential().split('e');
  const javaMantissa = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${javaMantissa}E${Number(exponent)}`;
}

/** A stored value as SOAP text: dates `YYYY-MM-DD`, datetimes with milliseconds and `Z`. */
export function formatValue(
  value: Exclude<StoredValue, null>,
  type: FieldType | undefined,
): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (type === 'int') return String(Math.trunc(value));
    return type === undefined && Number.isInteger(value) ? String(value) : formatDouble(value);
  }
  if (type === 'datetime') {
    const time = Date.parse(value);
    return Number.isNaN(time) ? value : new Date(time).toISOString();
  }
  return value;
}
