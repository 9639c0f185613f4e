import type { SaveOutcome } from '../records/save-result.ts';
import type { Json } from './render-record.ts';

/**
 * A SaveResult as sObject Collections and upsert answer it ("Create Records Using sObject
 * Collections", REST API Developer Guide, resources_composite_sobjects_collections_create.htm):
 * `{"id", "success": true, "errors": []}`; a failed record
 * `{"success": false, "errors": [{"statusCode", "message", "fields"}]}`, with `id` only when
 * the record it names exists. Upserts add `created`.
 */
export function renderSaveResult(outcome: SaveOutcome, withCreated = false): Json {
  if (outcome.ok) {
    return {
      id: outcome.id,
      success: true,
      errors: [],
      ...(withCreated ? { created: outcome.created ?? false } : {}),
    };
  }
  const { statusCode, message, fields } = outcome.error;
  return {
    ...(outcome.id === undefined ? {} : { id: outcome.id }),
    success: false,
    errors: [{ statusCode, message, fields: [...fields] }],
  };
}
