import { messageOf } from '../../error-message.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toId18 } from '../../soap/index.ts';
import { SalesforceApiError, notFound } from '../api-error.ts';
import type { ApiUsage } from '../api-usage.ts';
import type { Session, SessionAuthority } from '../auth/session-authority.ts';
import type { Clock } from '../../clock.ts';
import type { RecordStore } from '../records/record-store.ts';
import { runSoql, type QueryResult } from '../soql/index.ts';
import { collectionsRoutes } from './collections-routes.ts';
import { compositeRoutes } from './composite-routes.ts';
import { describeGlobal, describeObject } from './describe.ts';
import { externalIdRoutes } from './external-id-routes.ts';
import { acceptJsonBodies } from './json-body.ts';
import { limitsRoutes } from './limits-routes.ts';
import { notFoundMessage } from './out-of-scope.ts';
import type { QueryCursors } from './query-cursors.ts';
import { RecentItems } from './recent-items.ts';
import { recentRoutes, recentItemsOf } from './recent-routes.ts';
import { renderQueryResult, renderSObject, type Json } from './render-record.ts';
import { replicationRoutes } from './replication-routes.ts';
import {
  MAX_API_VERSION,
  MIN_API_VERSION,
  apiVersionOf,
  bearerToken,
  bodyObject,
  type RestContext,
  type RestRequest,
} from './rest-context.ts';

export { MAX_API_VERSION, MIN_API_VERSION, bearerToken };

export interface RestRoutesOptions {
  readonly store: RecordStore;
  readonly authority: SessionAuthority;
  readonly cursors: QueryCursors;
  /** The org's clock: relative date literals (TODAY, LAST_N_DAYS:n) follow virtual time. */
  readonly clock: Clock;
  /** The daily API allowance `/limits` reports. */
  readonly usage: ApiUsage;
  readonly organizationId: string;
  /** Base URL of the org (the identity URL in the resources document). Read per request. */
  readonly instanceUrl: string;
}

const DEFAULT_BATCH_SIZE = 2000;
const apiVersion = apiVersionOf;

function batchSizeOf(request: FastifyRequest): number {
  const header = request.headers['sforce-query-options'];
  const match = typeof header === 'string' ? /batchSize\s*=\s*(\d+)/i.exec(header) : null;
  const size = Number(match?.[1] ?? DEFAULT_BATCH_SIZE);
  return Math.min(Math.max(size, 200), 2000);
}

/** The REST API under `/services/data`, answering as Salesforce does, errors included. */
export async function restRoutes(app: FastifyInstance, options: RestRoutesOptions): Promise<void> {
  const { store, authority, cursors, clock } = options;
  const schema = store.schema;
  acceptJsonBodies(app);

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof SalesforceApiError)
      return reply.code(error.status).send(error.toRestBody());
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status === 400) {
      return reply.code(400).send([
        {
          errorCode: 'JSON_PARSER_ERROR',
          message: messageOf(error),
        },
      ]);
    }
    return reply
      .code(status)
      .send([{ errorCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error occurred.' }]);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(notFound(notFoundMessage(request.url)).toRestBody()),
  );

  const authed = (request: FastifyRequest): Session => authority.authenticate(bearerToken(request));
  const recent = new RecentItems();
  const context: RestContext = {
    app,
    store,
    authority,
    cursors,
    clock,
    usage: options.usage,
    recent,
    instanceUrl: () => options.instanceUrl.replace(/\/+$/, ''),
    organizationId: toId18(options.organizationId),
    apiVersion: (request) => apiVersion(request.params.version),
    authenticate: authed,
  };

  app.get('/services/data', async () =>
    Array.from({ length: MAX_API_VERSION - MIN_API_VERSION + 1 }, (_, i) => {
      const version = `${MIN_API_VERSION + i}.0`;
      return { label: `Version ${version}`, url: `/services/data/v${version}`, version };
    }),
  );

  // The resources this org serves, as "Resources by Version" lists them (REST API Developer
  // Guide, resources_discoveryresource.htm): relative URLs, except `identity`, an absolute URL
  // of the running user's identity (jsforce's `conn.identity()` reads it from here).
  app.get('/services/data/:version', async (request: RestRequest): Promise<Json> => {
    const version = apiVersion(request.params.version);
    const session = authed(request);
    const base = `/services/data/v${version}`;
    return {
      sobjects: `${base}/sobjects`,
      query: `${base}/query`,
      queryAll: `${base}/queryAll`,
      composite: `${base}/composite`,
      recent: `${base}/recent`,
      limits: `${base}/limits`,
      identity: `${context.instanceUrl()}/id/${session.organizationId}/${session.userId}`,
    };
  });

  app.get('/services/data/:version/sobjects', async (request: RestRequest) => {
    const version = apiVersion(request.params.version);
    authed(request);
    return describeGlobal(schema, version);
  });

  app.get('/services/data/:version/sobjects/:type', async (request: RestRequest) => {
    const version = apiVersion(request.params.version);
    const session = authed(request);
    const object = schema.get(request.params.type ?? '');
    return {
      objectDescribe: describeObject(schema, version, object),
      recentItems: recentItemsOf(context, session, version, object.definition.name),
    };
  });

  app.get('/services/data/:version/sobjects/:type/describe', async (request: RestRequest) => {
    const version = apiVersion(request.params.version);
    authed(request);
    return describeObject(schema, version, schema.get(request.params.type ?? ''));
  });

  app.post(
    '/services/data/:version/sobjects/:type',
    async (request: RestRequest, reply: FastifyReply) => {
      const version = apiVersion(request.params.version);
      const session = authed(request);
      const id = store.create(request.params.type ?? '', bodyObject(request.body), session.userId);
      const type = schema.get(request.params.type ?? '').definition.name;
      return reply
        .code(201)
        .header('Location', `/services/data/v${version}/sobjects/${type}/${id}`)
        .send({ id, success: true, errors: [] });
    },
  );

  app.get('/services/data/:version/sobjects/:type/:id', async (request: RestRequest) => {
    const version = apiVersion(request.params.version);
    authed(request);
    const object = schema.get(request.params.type ?? '');
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
    return renderSObject(schema, version, record, only);
  });

  app.patch(
    '/services/data/:version/sobjects/:type/:id',
    async (request: RestRequest, reply: FastifyReply) => {
      apiVersion(request.params.version);
      const session = authed(request);
      store.update(
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
      apiVersion(request.params.version);
      const session = authed(request);
      store.delete(request.params.type ?? '', request.params.id ?? '', session.userId);
      return reply.code(204).send();
    },
  );

  const query = (includeDeleted: boolean) => async (request: RestRequest) => {
    const version = apiVersion(request.params.version);
    const session = authed(request);
    const soql = request.query.q;
    if (soql === undefined || soql.trim() === '') {
      throw new SalesforceApiError('MALFORMED_QUERY', 'A query string has to be specified');
    }
    const result = runSoql(store, soql, { includeDeleted, now: clock.now() });
    trackRecent(result, session);
    const page = cursors.first(result, batchSizeOf(request), session.userId);
    const base = `/services/data/v${version}/${includeDeleted ? 'queryAll' : 'query'}`;
    return renderQueryResult(
      schema,
      version,
      result,
      page.records,
      page.done,
      page.next ? `${base}/${page.next}` : null,
    );
  };
  const queryMore = (includeDeleted: boolean) => async (request: RestRequest) => {
    const version = apiVersion(request.params.version);
    const session = authed(request);
    const found = cursors.page(request.params.locator ?? '', session.userId);
    if (!found)
      throw new SalesforceApiError('INVALID_QUERY_LOCATOR', 'invalid query locator', {
        status: 400,
      });
    const base = `/services/data/v${version}/${includeDeleted ? 'queryAll' : 'query'}`;
    const { result, page } = found;
    return renderQueryResult(
      schema,
      version,
      result,
      page.records,
      page.done,
      page.next ? `${base}/${page.next}` : null,
    );
  };
  const trackRecent = (result: QueryResult, session: Session): void => {
    if (result.tracking)
      recent.touch(
        session.userId,
        result.records.map((r) => r.id),
      );
  };
  app.get('/services/data/:version/query', query(false));
  app.get('/services/data/:version/queryAll', query(true));
  app.get('/services/data/:version/query/:locator', queryMore(false));
  app.get('/services/data/:version/queryAll/:locator', queryMore(true));

  limitsRoutes(context);
  collectionsRoutes(context);
  externalIdRoutes(context);
  compositeRoutes(context);
  replicationRoutes(context);
  recentRoutes(context);
}
