import { messageOf } from '../../error-message.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SalesforceApiError, notFound } from '../api-error.ts';
import type { Session, SessionAuthority } from '../auth/session-authority.ts';
import type { Clock } from '../../clock.ts';
import type { RecordStore } from '../records/record-store.ts';
import { runSoql } from '../soql/index.ts';
import { describeGlobal, describeObject } from './describe.ts';
import type { QueryCursors } from './query-cursors.ts';
import { renderQueryResult, renderSObject, type Json } from './render-record.ts';

export interface RestRoutesOptions {
  readonly store: RecordStore;
  readonly authority: SessionAuthority;
  readonly cursors: QueryCursors;
  /** The org's clock: relative date literals (TODAY, LAST_N_DAYS:n) follow virtual time. */
  readonly clock: Clock;
}

export const MIN_API_VERSION = 50;
export const MAX_API_VERSION = 62;
const DEFAULT_BATCH_SIZE = 2000;

type Params = { version: string; type: string; id: string; locator: string };
type RestRequest = FastifyRequest<{
  Params: Partial<Params>;
  Querystring: Record<string, string | undefined>;
}>;

/** `v60.0` → `60.0`; any version from 50.0 up to the newest this emulator knows. */
function apiVersion(raw: string | undefined): string {
  const match = /^v(\d+)\.0$/.exec(raw ?? '');
  const major = Number(match?.[1]);
  if (!match || major < MIN_API_VERSION || major > MAX_API_VERSION) throw notFound();
  return `${major}.0`;
}

/** `Authorization: Bearer <token>` (or jsforce's older `OAuth <token>`). */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = header ? /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

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
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(notFound().toRestBody()));

  const authed = (request: FastifyRequest): Session => authority.authenticate(bearerToken(request));

  app.get('/services/data', async () =>
    Array.from({ length: MAX_API_VERSION - MIN_API_VERSION + 1 }, (_, i) => {
      const version = `${MIN_API_VERSION + i}.0`;
      return { label: `Version ${version}`, url: `/services/data/v${version}`, version };
    }),
  );

  const resources = async (request: RestRequest): Promise<Json> => {
    const version = apiVersion(request.params.version);
    authed(request);
    const base = `/services/data/v${version}`;
    return {
      sobjects: `${base}/sobjects`,
      query: `${base}/query`,
      queryAll: `${base}/queryAll`,
      limits: `${base}/limits`,
    };
  };
  app.get('/services/data/:version', resources);
  app.get('/services/data/:version/', resources);

  app.get('/services/data/:version/sobjects', async (request: RestRequest) => {
    const version = apiVersion(request.params.version);
    authed(request);
    return describeGlobal(schema, version);
  });

  app.get('/services/data/:version/sobjects/:type', async (request: RestRequest) => {
    const version = apiVersion(request.params.version);
    authed(request);
    const object = schema.get(request.params.type ?? '');
    return { objectDescribe: describeObject(schema, version, object), recentItems: [] };
  });

  app.get('/services/data/:version/sobjects/:type/describe', async (request: RestRequest) => {
    const version = apiVersion(request.params.version);
    authed(request);
    return describeObject(schema, version, schema.get(request.params.type ?? ''));
  });

  app.post(
    '/services/data/:version/sobjects/:type',
    async (request: RestRequest, reply: FastifyReply) => {
      apiVersion(request.params.version);
      const session = authed(request);
      const id = store.create(request.params.type ?? '', bodyObject(request.body), session.userId);
      return reply.code(201).send({ id, success: true, errors: [] });
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
  app.get('/services/data/:version/query', query(false));
  app.get('/services/data/:version/queryAll', query(true));
  app.get('/services/data/:version/query/:locator', queryMore(false));
  app.get('/services/data/:version/queryAll/:locator', queryMore(true));
}

function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SalesforceApiError(
      'JSON_PARSER_ERROR',
      'The request body must be a JSON object of field values',
    );
  }
  return body as Record<string, unknown>;
}
