import type { FastifyReply } from 'fastify';
import { notFound } from '../api-error.ts';
import {
  MultipleMatchesError,
  externalIdField,
  findByExternalId,
  upsertRecord,
} from '../records/upsert.ts';
import { recordUrl, renderSObject } from './render-record.ts';
import {
  booleanParameter,
  bodyObject,
  type RestContext,
  type RestRequest,
} from './rest-context.ts';

/**
 * sObject Rows by External ID (REST API Developer Guide, "Insert or Update (Upsert) a Record
 * Using an External ID", dome_upsert.htm, and resources_sobject_upsert.htm):
 *
 *   GET    /sobjects/{type}/{field}/{value}   the record; 404 NOT_FOUND; 300 [urls] when several match
 *   PATCH  /sobjects/{type}/{field}/{value}   upsert: 201 {id, success, errors, created: true}
 *                                             or 200 {…, created: false} (API 46.0 and later);
 *                                             300 [urls]; `?updateOnly=true` never creates
 *   DELETE /sobjects/{type}/{field}/{value}   204
 *
 * A field that is neither `Id` nor an External ID field answers 404 NOT_FOUND "Provided
 * external ID field does not exist or is not accessible".
 */
export function externalIdRoutes(context: RestContext): void {
  const { app, store } = context;
  const path = '/services/data/:version/sobjects/:type/:field/:value';

  const lookUp = (request: RestRequest) => {
    const type = store.schema.get(request.params.type ?? '').definition.name;
    const field = externalIdField(store, type, request.params.field ?? '');
    return { type, field, value: request.params.value ?? '' };
  };

  /** Salesforce's 300 Multiple Choices: the matching records' URLs. */
  const multipleChoices = (reply: FastifyReply, version: string, error: MultipleMatchesError) =>
    reply.code(300).send(error.matches.map((m) => recordUrl(version, m.type, m.id)));

  /** The one record the URL names, or 404 NOT_FOUND, or (several) the 300 answer sent. */
  const theRecord = (request: RestRequest, reply: FastifyReply, version: string) => {
    const { type, field, value } = lookUp(request);
    const matches = findByExternalId(store, type, field, value);
    if (matches.length > 1) {
      multipleChoices(reply, version, new MultipleMatchesError(field.name, matches));
      return undefined;
    }
    const [record] = matches;
    if (!record) throw notFound();
    return record;
  };

  app.get(path, async (request: RestRequest, reply) => {
    const version = context.apiVersion(request);
    context.authenticate(request);
    const record = theRecord(request, reply, version);
    if (!record) return reply;
    const only = request.query.fields
      ?.split(',')
      .map((f) => f.trim())
      .filter((f) => f !== '');
    return renderSObject(store.schema, version, record, only);
  });

  app.patch(path, async (request: RestRequest, reply) => {
    const version = context.apiVersion(request);
    const session = context.authenticate(request);
    const { type, field, value } = lookUp(request);
    try {
      const { id, created } = upsertRecord(
        store,
        type,
        field,
        value,
        bodyObject(request.body),
        session.userId,
        { updateOnly: booleanParameter(request.query.updateOnly) },
      );
      const body = { id, success: true, errors: [], created };
      if (!created) return reply.code(200).send(body);
      return reply
        .code(201)
        .header('Location', recordUrl(version, type, id))
        .send(body);
    } catch (error) {
      if (error instanceof MultipleMatchesError) return multipleChoices(reply, version, error);
      throw error;
    }
  });

  app.delete(path, async (request: RestRequest, reply) => {
    const version = context.apiVersion(request);
    const session = context.authenticate(request);
    const record = theRecord(request, reply, version);
    if (!record) return reply;
    store.delete(record.type, record.id, session.userId);
    return reply.code(204).send();
  });
}
