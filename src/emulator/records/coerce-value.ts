import { isSalesforceId, toId18 } from '../../soap/index.ts';
import { SalesforceApiError } from '../api-error.ts';
import type { FieldDefinition, StoredValue } from '../schema/types.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function invalid(
  field: FieldDefinition,
  object: string,
  raw: unknown,
  what: string,
): SalesforceApiError {
  return new SalesforceApiError(
    'INVALID_TYPE_ON_FIELD_IN_RECORD',
    `${field.label}: value not of required type: ${String(raw).slice(0, 100)} (${object}.${field.name} takes ${what})`,
    { fields: [field.name] },
  );
}

/**
 * Turns a value from the API (JSON from REST, text from SOAP) into what the store keeps, or
 * raises the error Salesforce raises for it.
 */
export function coerceValue(object: string, field: FieldDefinition, raw: unknown): StoredValue {
  if (raw === null || raw === undefined) return null;
  switch (field.type) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      throw invalid(field, object, raw, 'true or false');
    case 'double':
    case 'currency':
    case 'percent':
    case 'int': {
      const value =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && raw.trim() !== ''
            ? Number(raw)
            : NaN;
      if (!Number.isFinite(value)) throw invalid(field, object, raw, 'a number');
      if (field.type === 'int' && !Number.isInteger(value))
        throw invalid(field, object, raw, 'a whole number');
      return value;
    }
    case 'date': {
      if (typeof raw !== 'string') throw invalid(field, object, raw, 'a date (YYYY-MM-DD)');
      const day = raw.slice(0, 10);
      if (!DATE.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
        throw invalid(field, object, raw, 'a date (YYYY-MM-DD)');
      }
      return day;
    }
    case 'datetime': {
      if (typeof raw !== 'string') throw invalid(field, object, raw, 'a dateTime');
      const normalised = raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
      const time = Date.parse(normalised);
      if (Number.isNaN(time)) throw invalid(field, object, raw, 'a dateTime');
      return new Date(time).toISOString();
    }
    case 'id':
    case 'reference': {
      if (typeof raw !== 'string') throw invalid(field, object, raw, 'an id');
      if (raw === '') return null;
      if (!isSalesforceId(raw)) {
        throw new SalesforceApiError(
          'MALFORMED_ID',
          `${field.label}: id value of incorrect type: ${raw.slice(0, 40)}`,
          {
            fields: [field.name],
          },
        );
      }
      return toId18(raw);
    }
    default: {
      if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
        throw invalid(field, object, typeof raw, 'text');
      }
      const text = String(raw);
      if (field.length !== undefined && text.length > field.length) {
        throw new SalesforceApiError(
          'STRING_TOO_LONG',
          `${field.label}: data value too large: ${text.slice(0, 40)}… (max length=${field.length})`,
          { fields: [field.name] },
        );
      }
      return text === '' ? null : text;
    }
  }
}
