import type { FastifyReply } from 'fastify';
import { SalesforceApiError, notFound } from '../api-error.ts';
import { describeGlobal, describeObject } from './describe.ts';
import { recentItemsOf } from './recent-routes.ts';
import { renderSObject, type Json } from './render-record.ts';
import { bodyObject, type RestContext, type RestRequest } from './rest-context.ts';

/** `/sobjects`, `/sobjects/{type}` and `/sobjects/{type}/describe`. */
export function describeRoutes(context: RestContext): void {
  const { app, store } = context;
  const schema = store.schema;
  app.get('/services/data/:version/sobjects', async (request: RestRequest) => {
    const version = context.apiVersion(request);
    context.authenticate(request);
    return describeGlobal(schema, version);
  });
  app.get('/services/data/:version/sobjects/:type', async (request: RestRequest) => {
    const version = context.apiVersion(request);
    const session = context.authenticate(request);
    const object = schema.get(request.params.type ?? '');
    return {
      objectDescribe: describeObject(schema, version, object),
      recentItems: recentItemsOf(context, session, version, object.definition.name),
    };
  });
  app.get('/services/data/:version/sobjects/:type/describe', async (request: RestRequest) => {
    const version = context.apiVersion(request);
    context.authenticate(request);
    return describeObject(schema, version, schema.get(request.params.type ?? ''));
  });
}

/** Create, read, update and delete one record: `/sobjects/{type}[/{id}]`. */
export function recordRoutes(context: RestContext): void {
  const { app } = context;
  app.post('/services/data/:version/sobjects/:type', (request: RestRequest, reply) =>
    createRecord(context, request, reply),
  );
  app.get('/services/data/:version/sobjects/:type/:id', async (request: RestRequest) =>
    readRecord(context, request),
  );
  app.patch(
    '/services/data/:version/sobjects/:type/:id',
    async (request: RestRequest, reply: FastifyReply) => {
      context.apiVersion(request);
      const session = context.authenticate(request);
      context.store.update(
        request.params.type ?? '',
        request.params.id ?? '',
        bodyObject(request.body),
        session.userId,
      );
      return reply.code(204).send();
    },
  );
  app.delete(
    '/services/data/:version/sobjects/:type/:id',
    async (request: RestRequest, reply: FastifyReply) => {
      context.apiVersion(request);
      const session = context.authenticate(request);
      context.store.delete(request.params.type ?? '', request.params.id ?? '', session.userId);
      return reply.code(204).send();
    },
  );
}

async function createRecord(
  context: RestContext,
  request: RestRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const version = context.apiVersion(request);
  const session = context.authenticate(request);
  const { store } = context;
  const id = store.create(request.params.type ?? '', bodyObject(request.body), session.userId);
  const type = store.schema.get(request.params.type ?? '').definition.name;
  return reply
    .code(201)
    .header('Location', `/services/data/v${version}/sobjects/${type}/${id}`)
    .send({ id, success: true, errors: [] });
}

/** One record, deleted ones answered ENTITY_IS_DELETED; `?fields=` narrows what is returned. */
function readRecord(context: RestContext, request: RestRequest): Json {
  const version = context.apiVersion(request);
  context.authenticate(request);
  const { store } = context;
  const object = store.schema.get(request.params.type ?? '');
  const record = store.get(request.params.id ?? '', { includeDeleted: true });
  if (!record || record.type !== object.definition.name) throw notFound();
  if (record.deleted)
    throw new SalesforceApiError('ENTITY_IS_DELETED', 'entity is deleted', { status: 404 });
  const only = request.query.fields
    ?.split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  if (only) {
    const unknown = only.find((f) => !object.fieldsByLowerName.has(f.toLowerCase()));
    if (unknown) {
      throw new SalesforceApiError(
        'INVALID_FIELD',
        `No such column '${unknown}' on sobject of type ${object.definition.name}`,
      );
    }
  }
  return renderSObject(store.schema, version, record, only);
}
