import { SalesforceApiError } from '../api-error.ts';

/** One error of a per-record result, as both APIs name its members. */
export interface SaveError {
  readonly statusCode: string;
  readonly message: string;
  readonly fields: readonly string[];
}

/** What became of one record of a multi-record call. */
export type SaveOutcome =
  | { readonly ok: true; readonly id: string; readonly created?: boolean }
  | { readonly ok: false; readonly id?: string; readonly error: SaveError };

/**
 * A store error as a per-record error. The single-record REST API answers an unknown id with
 * 404 NOT_FOUND; multi-record calls (SOAP, sObject Collections) report it on the record as
 * INVALID_CROSS_REFERENCE_KEY instead. Anything that is not a Salesforce error is a bug: rethrown.
 */
export function toSaveError(error: unknown): SaveError {
  if (!(error instanceof SalesforceApiError)) throw error;
  if (error.code === 'NOT_FOUND') {
    return {
      statusCode: 'INVALID_CROSS_REFERENCE_KEY',
      message: 'invalid cross reference id',
      fields: [],
    };
  }
  return { statusCode: error.code, message: error.message, fields: error.fields };
}

/** Runs one record's write and reports it instead of throwing. */
export function saveOne(
  id: string | undefined,
  write: () => { id: string; created?: boolean },
): SaveOutcome {
  try {
    return { ok: true, ...write() };
  } catch (error) {
    return { ok: false, ...(id === undefined ? {} : { id }), error: toSaveError(error) };
  }
}

/** What Salesforce reports on each record that succeeded when an all-or-none call failed. */
export const ROLLED_BACK: SaveError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message:
    'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

/**
 * Runs the writes of an all-or-none call: when any record fails, every write is undone and
 * each record that had succeeded reports ROLLED_BACK (its id kept only if it existed before).
 * Without allOrNone each record stands alone.
 */
export async function saveAll(
  atomically: <T>(work: () => { commit: boolean; value: T }) => Promise<T>,
  allOrNone: boolean,
  writes: readonly (() => SaveOutcome)[],
): Promise<SaveOutcome[]> {
  if (!allOrNone) return writes.map((write) => write());
  return atomically(() => {
    const outcomes = writes.map((write) => write());
    if (outcomes.every((outcome) => outcome.ok)) return { commit: true, value: outcomes };
    return {
      commit: false,
      value: outcomes.map((outcome): SaveOutcome => {
        if (!outcome.ok) return outcome;
        const keepId = outcome.created !== true;
        return { ok: false, ...(keepId ? { id: outcome.id } : {}), error: ROLLED_BACK };
      }),
    };
  });
}
