import { isSalesforceId } from '../../soap/index.ts';
import type { XmlElement } from '../../soap/index.ts';
import type { RecordStore } from '../records/record-store.ts';
import { childText, childrenNamed } from './parse-request.ts';
import { invalidFieldFault, invalidTypeFault } from './parse-sobject.ts';
import { SObjectRenderer, toQueryRecord } from './render-sobject.ts';
import { SoapApiFault } from './soap-fault.ts';

export const MAX_RETRIEVE_IDS = 2000;

/**
 * `retrieve(fieldList, sObjectType, ids)`: one `result` per id, in order, nil where no record
 * of that type exists. Unlike query, the partner result always carries the record's Id.
 */
export function retrieveRecords(
  operation: XmlElement,
  store: RecordStore,
  renderer: SObjectRenderer,
): string {
  const typeName = childText(operation, 'sObjectType')?.trim() ?? '';
  const object = store.schema.find(typeName);
  if (!object) throw invalidTypeFault(typeName);
  const type = object.definition.name;
  const fieldNames = (childText(operation, 'fieldList') ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
    .map((name) => {
      const field = object.fieldsByLowerName.get(name.toLowerCase());
      if (!field) throw invalidFieldFault(name, type);
      return field.name;
    });
  if (fieldNames.length === 0)
    throw new SoapApiFault('MALFORMED_QUERY', 'fieldList must not be empty');
  const ids = childrenNamed(operation, 'ids').map((element) => element.text.trim());
  if (ids.length > MAX_RETRIEVE_IDS) {
    throw new SoapApiFault(
      'EXCEEDED_ID_LIMIT',
      `too many ids: retrieve accepts at most ${MAX_RETRIEVE_IDS}`,
    );
  }
  const malformed = ids.find((id) => !isSalesforceId(id));
  if (malformed !== undefined) throw new SoapApiFault('MALFORMED_ID', `malformed id ${malformed}`);
  return ids
    .map((id) => {
      const record = store.get(id);
      if (!record || record.type !== type) return `<result xsi:nil="true"/>`;
      return renderer.record(
        'result',
        toQueryRecord(type, record.id, record.values, fieldNames),
        record.id,
      );
    })
    .join('');
}
