import type { FastifyReply } from 'fastify';
import { isSalesforceId, toId18 } from '../../soap/index.ts';
import { SalesforceApiError } from '../api-error.ts';
import type { RecordStore } from '../records/record-store.ts';
import { saveAll, saveOne, type SaveOutcome } from '../records/save-result.ts';
import { externalIdField, upsertRecord } from '../records/upsert.ts';
import { renderSObject, type Json } from './render-record.ts';
import {
  booleanParameter,
  bodyObject,
  type RestContext,
  type RestRequest,
} from './rest-context.ts';
import { renderSaveResult } from './save-results.ts';

/** sObject Collections take at most 200 records per write ("The list can contain up to 200 objects"). */
export const MAX_COLLECTION_RECORDS = 200;
/** …and read at most 800 ids by GET (URL length) or 2000 by POST ("Get Records Using sObject Collections"). */
const MAX_GET_IDS = 800;
const MAX_POST_IDS = 2000;

const tooMany = (limit: number): SalesforceApiError =>
  new SalesforceApiError(
    'EXCEEDED_ID_LIMIT',
    `record limit reached. cannot submit more than ${limit} records into this call`,
  );

interface CollectionBody {
  readonly allOrNone: boolean;
  readonly records: readonly Record<string, unknown>[];
}

/** `{"allOrNone": bool, "records": [{"attributes": {"type": …}, …}]}`, or 400. */
function collectionBody(body: unknown): CollectionBody {
  const { allOrNone, records } = bodyObject(body, 'allOrNone and records');
  if (!Array.isArray(records) || records.some((r) => typeof r !== 'object' || r === null)) {
    throw new SalesforceApiError('JSON_PARSER_ERROR', 'records must be a list of sObjects');
  }
  if (records.length > MAX_COLLECTION_RECORDS) throw tooMany(MAX_COLLECTION_RECORDS);
  if (allOrNone !== undefined && typeof allOrNone !== 'boolean')
    throw new SalesforceApiError('JSON_PARSER_ERROR', 'allOrNone must be true or false');
  return { allOrNone: allOrNone === true, records: records as Record<string, unknown>[] };
}

/** A record's `attributes.type`, which every collection record must carry. */
function typeOf(store: RecordStore, record: Record<string, unknown>): string {
  const attributes = record.attributes as { type?: unknown } | undefined;
  const type = attributes?.type;
  if (typeof type !== 'string' || type === '')
    throw new SalesforceApiError('INVALID_TYPE', 'Must send a concrete entity type.');
  const object = store.schema.find(type);
  if (!object) {
    throw new SalesforceApiError(
      'INVALID_TYPE',
      `sObject type '${type}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  return object.definition.name;
}

/** A record's own id (`id` or `Id`), when it has one. */
function idOf(record: Record<string, unknown>): string | undefined {
  const value = record.id ?? record.Id;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function fieldsOf(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).filter(([name]) => name !== 'attributes' && name.toLowerCase() !== 'id'),
  );
}

/** `ids=a,b,c` → ids (whitespace-tolerant, empty entries dropped). */
function listParameter(value: unknown): string[] {
  const text = Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : '';
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/**
 * sObject Collections (REST API Developer Guide, "sObject Collections",
 * resources_composite_sobjects_collections.htm): up to 200 records per call, in order, one
 * SaveResult each, optionally all or none.
 *
 *   POST   /composite/sobjects                    create        → [SaveResult]
 *   PATCH  /composite/sobjects                    update        → [SaveResult]
 *   DELETE /composite/sobjects?ids=…&allOrNone=…  delete        → [SaveResult]
 *   GET    /composite/sobjects/{type}?ids=…&fields=…            → [record | null]
 *   POST   /composite/sobjects/{type} {ids, fields}             → [record | null]
 *   PATCH  /composite/sobjects/{type}/{externalIdField}  upsert → [SaveResult + created]
 *
 * The whole call counts as one API request, however many records it carries.
 */
export function collectionsRoutes(context: RestContext): void {
  const { app } = context;
  const base = '/services/data/:version/composite/sobjects';
  app.post(base, writeRecords(context, createOne));
  app.patch(base, writeRecords(context, updateOne));
  app.delete(base, async (request: RestRequest, reply) => deleteRecords(context, request, reply));
  app.get(`${base}/:type`, async (request: RestRequest) => {
    const version = context.apiVersion(request);
    context.authenticate(request);
    return retrieve(
      context.store,
      version,
      request.params.type ?? '',
      listParameter(request.query.ids),
      listParameter(request.query.fields),
      MAX_GET_IDS,
    );
  });
  app.post(`${base}/:type`, async (request: RestRequest) => {
    const version = context.apiVersion(request);
    context.authenticate(request);
    const { ids, fields } = bodyObject(request.body, 'ids and fields');
    return retrieve(
      context.store,
      version,
      request.params.type ?? '',
      listParameter(ids),
      listParameter(fields),
      MAX_POST_IDS,
    );
  });
  app.patch(`${base}/:type/:field`, async (request: RestRequest, reply) =>
    upsertByExternalId(context, request, reply),
  );
}

type WriteOne = (
  store: RecordStore,
  record: Record<string, unknown>,
  userId: string,
) => SaveOutcome;

const atomicallyIn =
  (store: RecordStore) =>
  <T>(work: () => { commit: boolean; value: T }): Promise<T> =>
    store.atomically(work);

const send = (reply: FastifyReply, outcomes: readonly SaveOutcome[], withCreated = false) =>
  reply.code(200).send(outcomes.map((outcome) => renderSaveResult(outcome, withCreated)));

/** A collection write: each record through `write`, all or none as the body asks. */
const writeRecords =
  (context: RestContext, write: WriteOne, withCreated = false) =>
  async (request: RestRequest, reply: FastifyReply) => {
    context.apiVersion(request);
    const session = context.authenticate(request);
    const { allOrNone, records } = collectionBody(request.body);
    const outcomes = await saveAll(
      atomicallyIn(context.store),
      allOrNone,
      records.map((record) => () => write(context.store, record, session.userId)),
    );
    return send(reply, outcomes, withCreated);
  };

const createOne: WriteOne = (store, record, userId) => {
  if (idOf(record) !== undefined) {
    return {
      ok: false,
      error: {
        statusCode: 'INVALID_FIELD',
        message: 'cannot specify Id in an insert call',
        fields: ['Id'],
      },
    };
  }
  return saveOne(undefined, () => ({
    id: store.create(typeOf(store, record), fieldsOf(record), userId),
    created: true,
  }));
};

const updateOne: WriteOne = (store, record, userId) => {
  const id = idOf(record);
  if (id === undefined) {
    return {
      ok: false,
      error: {
        statusCode: 'MISSING_ARGUMENT',
        message: 'Id not specified in an update call',
        fields: [],
      },
    };
  }
  const known = isSalesforceId(id) ? toId18(id) : undefined;
  return saveOne(known, () => {
    store.update(typeOf(store, record), id, fieldsOf(record), userId);
    return { id: toId18(id) };
  });
};

/** `DELETE ?ids=…&allOrNone=`: each id its own outcome. */
async function deleteRecords(
  context: RestContext,
  request: RestRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  context.apiVersion(request);
  const session = context.authenticate(request);
  const { store } = context;
  const ids = listParameter(request.query.ids);
  if (ids.length === 0)
    throw new SalesforceApiError('MISSING_ARGUMENT', 'ids: the ids of the records to delete');
  if (ids.length > MAX_COLLECTION_RECORDS) throw tooMany(MAX_COLLECTION_RECORDS);
  const outcomes = await saveAll(
    atomicallyIn(store),
    booleanParameter(request.query.allOrNone),
    ids.map((id) => (): SaveOutcome => {
      if (!isSalesforceId(id)) {
        return {
          ok: false,
          error: { statusCode: 'MALFORMED_ID', message: `malformed id ${id}`, fields: [] },
        };
      }
      return saveOne(toId18(id), () => {
        const record = store.get(id, { includeDeleted: true });
        if (!record) {
          throw new SalesforceApiError('ENTITY_IS_DELETED', 'entity is deleted');
        }
        store.delete(record.type, id, session.userId);
        return { id: record.id };
      });
    }),
  );
  return send(reply, outcomes);
}

/** Records of one type by id, each with the fields asked for, or null where there is none. */
function retrieve(
  store: RecordStore,
  version: string,
  type: string,
  ids: readonly string[],
  fields: readonly string[],
  limit: number,
): Json[] {
  const object = store.schema.get(type);
  if (ids.length === 0)
    throw new SalesforceApiError('MISSING_ARGUMENT', 'ids: the record ids to read');
  if (ids.length > limit) throw tooMany(limit);
  if (fields.length === 0)
    throw new SalesforceApiError('MISSING_ARGUMENT', 'fields: the fields to read');
  const unknown = fields.find((f) => !object.fieldsByLowerName.has(f.toLowerCase()));
  if (unknown !== undefined) {
    throw new SalesforceApiError(
      'INVALID_FIELD',
      `No such column '${unknown}' on sobject of type ${object.definition.name}`,
    );
  }
  const malformed = ids.find((id) => !isSalesforceId(id));
  if (malformed !== undefined)
    throw new SalesforceApiError('MALFORMED_ID', `malformed id ${malformed}`, { fields: [] });
  return ids.map((id) => {
    const record = store.get(id);
    return record && record.type === object.definition.name
      ? renderSObject(store.schema, version, record, fields)
      : null;
  });
}

/** `PATCH /{type}/{externalIdField}`: each record upserted by its external id. */
async function upsertByExternalId(
  context: RestContext,
  request: RestRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  context.apiVersion(request);
  context.authenticate(request);
  const { store } = context;
  const type = store.schema.get(request.params.type ?? '').definition.name;
  const field = externalIdField(store, type, request.params.field ?? '');
  const upsert: WriteOne = (_store, record, userId) =>
    saveOne(undefined, () => {
      const recordType = typeOf(store, record);
      if (recordType !== type) {
        throw new SalesforceApiError(
          'INVALID_TYPE',
          `this upsert takes ${type} records; got ${recordType}`,
        );
      }
      const value = Object.entries(record).find(
        ([name]) => name.toLowerCase() === field.name.toLowerCase(),
      )?.[1];
      if (value === undefined || value === null || value === '') {
        throw new SalesforceApiError('MISSING_ARGUMENT', `${field.name} not specified`, {
          fields: [field.name],
        });
      }
      return upsertRecord(store, type, field, value, fieldsOf(record), userId);
    });
  return writeRecords(context, upsert, true)(request, reply);
}
