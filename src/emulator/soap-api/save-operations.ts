import { escapeText } from '../../soap/index.ts';
import { SalesforceApiError } from '../api-error.ts';
import type { RecordStore } from '../records/record-store.ts';
import type { ApiDialect } from './dialect.ts';
import { childrenNamed } from './parse-request.ts';
import { parseSObject, type SObjectInput } from './parse-sobject.ts';
import { SoapApiFault } from './soap-fault.ts';
import type { XmlElement } from '../../soap/index.ts';

/** Salesforce's per-call record limit for create and update. */
export const MAX_RECORDS_PER_CALL = 200;

interface SaveError {
  readonly statusCode: string;
  readonly message: string;
  readonly fields: readonly string[];
}

type SaveOutcome = { readonly id: string } | { readonly error: SaveError };

function toSaveError(error: unknown): SaveError {
  if (!(error instanceof SalesforceApiError)) throw error;
  // The REST API's 404 for an unknown id is a per-record cross-reference error in SOAP.
  if (error.code === 'NOT_FOUND') {
    return {
      statusCode: 'INVALID_CROSS_REFERENCE_KEY',
      message: 'invalid cross reference id',
      fields: [],
    };
  }
  return { statusCode: error.code, message: error.message, fields: error.fields };
}

function renderSaveResult(outcome: SaveOutcome): string {
  if ('id' in outcome)
    return `<result><id>${escapeText(outcome.id)}</id><success>true</success></result>`;
  const { error } = outcome;
  const fields = error.fields.map((f) => `<fields>${escapeText(f)}</fields>`).join('');
  return (
    `<result><errors>${fields}<message>${escapeText(error.message)}</message>` +
    `<statusCode>${escapeText(error.statusCode)}</statusCode></errors>` +
    `<id xsi:nil="true"/><success>false</success></result>`
  );
}

function readSObjects(
  operation: XmlElement,
  dialect: ApiDialect,
  store: RecordStore,
): SObjectInput[] {
  const elements = childrenNamed(operation, 'sObjects');
  if (elements.length > MAX_RECORDS_PER_CALL) {
    throw new SoapApiFault(
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_RECORDS_PER_CALL} records into this call`,
    );
  }
  return elements.map((element) => parseSObject(element, dialect, store.schema));
}

/**
 * `create` and `update`: one `SaveResult` per record, in order. A record that fails carries
 * its errors and does not stop the others (Salesforce's default, allOrNone false).
 */
export function saveRecords(
  kind: 'create' | 'update',
  operation: XmlElement,
  dialect: ApiDialect,
  store: RecordStore,
  userId: string,
): string {
  const outcomes = readSObjects(operation, dialect, store).map((input): SaveOutcome => {
    try {
      if (kind === 'create') {
        if (input.id !== undefined) {
          return {
            error: {
              statusCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
              message: 'cannot specify Id in an insert call',
              fields: ['Id'],
            },
          };
        }
        return { id: store.create(input.type, input.values, userId) };
      }
      if (input.id === undefined) {
        return {
          error: {
            statusCode: 'MISSING_ARGUMENT',
            message: 'Id not specified in an update call',
            fields: [],
          },
        };
      }
      store.update(input.type, input.id, input.values, userId);
      const record = store.get(input.id);
      return { id: record?.id ?? input.id };
    } catch (error) {
      return { error: toSaveError(error) };
    }
  });
  return outcomes.map(renderSaveResult).join('');
}
