import { escapeText, isSalesforceId, toId18 } from '../../soap/index.ts';
import { SalesforceApiError } from '../api-error.ts';
import type { RecordStore } from '../records/record-store.ts';
import { saveOne, type SaveError, type SaveOutcome } from '../records/save-result.ts';
import { externalIdField, upsertRecord } from '../records/upsert.ts';
import type { ApiDialect } from './dialect.ts';
import { childrenNamed } from './parse-request.ts';
import { parseSObject, type SObjectInput } from './parse-sobject.ts';
import { SoapApiFault } from './soap-fault.ts';
import type { XmlElement } from '../../soap/index.ts';

/** Salesforce's per-call record limit for create and update. */
export const MAX_RECORDS_PER_CALL = 200;

/** A per-record error in WSDL order: `fields*`, `message`, `statusCode`. */
function renderErrors(error: SaveError): string {
  const fields = error.fields.map((f) => `<fields>${escapeText(f)}</fields>`).join('');
  return (
    `<errors>${fields}<message>${escapeText(error.message)}</message>` +
    `<statusCode>${escapeText(error.statusCode)}</statusCode></errors>`
  );
}

/**
 * SaveResult, UpsertResult, DeleteResult and UndeleteResult, in WSDL order: (`created`),
 * `errors*`, `id`, `success` (SOAP API Developer Guide, "SaveResult", "UpsertResult",
 * "DeleteResult", "UndeleteResult").
 */
function renderResult(outcome: SaveOutcome, withCreated = false): string {
  const created = withCreated
    ? `<created>${outcome.ok && outcome.created === true ? 'true' : 'false'}</created>`
    : '';
  if (outcome.ok) {
    return `<result>${created}<id>${escapeText(outcome.id)}</id><success>true</success></result>`;
  }
  const id =
    outcome.id === undefined ? `<id xsi:nil="true"/>` : `<id>${escapeText(outcome.id)}</id>`;
  return `<result>${created}${renderErrors(outcome.error)}${id}<success>false</success></result>`;
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

const failed = (statusCode: string, message: string, fields: string[] = []): SaveOutcome => ({
  ok: false,
  error: { statusCode, message, fields },
});

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
    if (kind === 'create') {
      if (input.id !== undefined)
        return failed('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', [
          'Id',
        ]);
      return saveOne(undefined, () => ({ id: store.create(input.type, input.values, userId) }));
    }
    const id = input.id;
    if (id === undefined) return failed('MISSING_ARGUMENT', 'Id not specified in an update call');
    return saveOne(undefined, () => {
      store.update(input.type, id, input.values, userId);
      return { id: toId18(id) };
    });
  });
  return outcomes.map((outcome) => renderResult(outcome)).join('');
}

/**
 * `upsert(externalIDFieldName, sObjects)`: one UpsertResult per record (`created` tells which
 * were inserted). The field must be `Id` or an External ID field, else the call faults
 * INVALID_FIELD; several records matching one value is that record's DUPLICATE_EXTERNAL_ID.
 */
export function upsertRecords(
  operation: XmlElement,
  dialect: ApiDialect,
  store: RecordStore,
  userId: string,
): string {
  const fieldName = childrenNamed(operation, 'externalIDFieldName')[0]?.text.trim() ?? '';
  const inputs = readSObjects(operation, dialect, store);
  const outcomes = inputs.map((input): SaveOutcome => {
    let field;
    try {
      field = externalIdField(store, input.type, fieldName);
    } catch {
      throw new SoapApiFault(
        'INVALID_FIELD',
        `Field name provided, ${fieldName} is not an External ID or indexed field for ${input.type}`,
      );
    }
    const value = field.name === 'Id' ? input.id : input.values[field.name];
    if (value === undefined || value === null) {
      if (field.name === 'Id')
        return saveOne(undefined, () => ({
          id: store.create(input.type, input.values, userId),
          created: true,
        }));
      return failed('MISSING_ARGUMENT', `${field.name} not specified`, [field.name]);
    }
    return saveOne(undefined, () =>
      upsertRecord(store, input.type, field, value, input.values, userId),
    );
  });
  return outcomes.map((outcome) => renderResult(outcome, true)).join('');
}

function idsOf(operation: XmlElement): string[] {
  const ids = childrenNamed(operation, 'ids').map((element) => element.text.trim());
  if (ids.length > MAX_RECORDS_PER_CALL) {
    throw new SoapApiFault(
      'EXCEEDED_ID_LIMIT',
      `record limit reached. cannot submit more than ${MAX_RECORDS_PER_CALL} records into this call`,
    );
  }
  return ids;
}

/** `delete(ids)` and `undelete(ids)`: one DeleteResult / UndeleteResult per id, in order. */
export function deleteRecords(
  kind: 'delete' | 'undelete',
  operation: XmlElement,
  store: RecordStore,
  userId: string,
): string {
  const outcomes = idsOf(operation).map((id): SaveOutcome => {
    if (!isSalesforceId(id)) return failed('MALFORMED_ID', `malformed id ${id}`);
    return saveOne(toId18(id), () => {
      if (kind === 'undelete') return { id: store.undelete(id, userId).id };
      const record = store.get(id, { includeDeleted: true });
      if (!record)
        throw new SalesforceApiError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
      store.delete(record.type, id, userId);
      return { id: record.id };
    });
  });
  return outcomes.map((outcome) => renderResult(outcome)).join('');
}
