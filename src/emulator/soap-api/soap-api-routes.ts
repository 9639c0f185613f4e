import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../shared/index.ts';
import { toId18 } from '../../soap/index.ts';
import type { ApiUsage } from '../api-usage.ts';
import type { SessionAuthority } from '../auth/session-authority.ts';
import type { RecordStore } from '../records/record-store.ts';
import { UNSUPPORTED_OPERATIONS, unsupportedOperation } from './describe-operations.ts';
import { NAMESPACES, type ApiDialect } from './dialect.ts';
import { renderEnvelope } from './envelope.ts';
import { operationOf } from './operations.ts';
import { noOperation, parseSoapRequest } from './parse-request.ts';
import { QueryCursors } from './query-cursors.ts';
import { SObjectRenderer } from './render-sobject.ts';
import type { SoapContext, SoqlRunner } from './soap-context.ts';
import { SoapApiFault, clientFault, renderFault } from './soap-fault.ts';

export { DEFAULT_BATCH_SIZE } from './query-operations.ts';
export { LOGIN_REMOVED_IN_VERSION } from './session-operations.ts';
export type { SoqlRunner } from './soap-context.ts';

export interface SoapApiRoutesOptions {
  readonly authority: SessionAuthority;
  readonly store: RecordStore;
  readonly organizationId: string;
  /** Base URL of the org (serverUrl in login results). Read per request, so a getter works. */
  readonly instanceUrl: string;
  readonly clock: Clock;
  /** Runs `query`/`queryAll`; without it those calls fault with UNKNOWN_EXCEPTION. */
  readonly runSoql?: SoqlRunner;
  /** The session timeout reported by getUserInfo (`sessionSecondsValid`); default two hours. */
  readonly sessionSecondsValid?: number;
  /** LoginResult `sandbox`. */
  readonly sandbox?: boolean;
  /** The daily API allowance each response's LimitInfoHeader reports. */
  readonly usage?: ApiUsage;
}

/** The lowest API version the emulator serves. */
export const MIN_API_VERSION = 50;
const BODY_LIMIT = 50 * 1024 * 1024;

type SoapRouteRequest = FastifyRequest<{ Params: { version: string; orgId?: string } }>;

/**
 * The SOAP API: partner `/services/Soap/u/{version}[/{orgId}]` and enterprise
 * `/services/Soap/c/{version}[/{orgId}]` with login, logout, getUserInfo, create, update,
 * upsert, delete, undelete, retrieve, query, queryAll, queryMore, describeSObject(s),
 * describeTabs and getServerTimestamp. Register with `app.register(soapApiRoutes, options)`;
 * its XML body parser stays inside the plugin.
 */
export async function soapApiRoutes(
  app: FastifyInstance,
  options: SoapApiRoutesOptions,
): Promise<void> {
  const context: SoapContext = {
    authority: options.authority,
    store: options.store,
    clock: options.clock,
    organizationId: toId18(options.organizationId),
    cursors: new QueryCursors(options.clock),
    runSoql: options.runSoql,
    sessionSecondsValid: options.sessionSecondsValid ?? 7200,
    sandbox: options.sandbox === true,
    instanceUrl: () => options.instanceUrl.replace(/\/+$/, ''),
  };
  app.addContentTypeParser(
    ['text/xml', 'application/soap+xml'],
    { parseAs: 'buffer' },
    (_request, body, done) => done(null, body),
  );
  for (const dialect of ['partner', 'enterprise'] as const) {
    const letter = NAMESPACES[dialect].pathLetter;
    for (const path of [
      `/services/Soap/${letter}/:version`,
      `/services/Soap/${letter}/:version/:orgId`,
    ]) {
      app.post<{ Params: { version: string; orgId?: string } }>(
        path,
        { bodyLimit: BODY_LIMIT },
        (request, reply) => handleCall(context, options.usage, dialect, request, reply),
      );
    }
  }
}

/** One POST: check the version, parse the envelope, run the operation, answer or fault. */
async function handleCall(
  context: SoapContext,
  usage: ApiUsage | undefined,
  dialect: ApiDialect,
  request: SoapRouteRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  try {
    const { version } = request.params;
    if (!/^\d{2,3}\.0$/.test(version) || Number(version) < MIN_API_VERSION) {
      throw new SoapApiFault('UNSUPPORTED_API_VERSION', 'Invalid Api version specified on URL');
    }
    if (!Buffer.isBuffer(request.body) && typeof request.body !== 'string') {
      throw clientFault('Expected a text/xml SOAP envelope');
    }
    const soapRequest = parseSoapRequest(request.body, dialect);
    const name = soapRequest.operation.local;
    const operation = operationOf(name);
    if (!operation && UNSUPPORTED_OPERATIONS.has(name)) throw unsupportedOperation(name);
    if (!operation) throw noOperation(soapRequest.operation);
    const renderer = new SObjectRenderer(context.store.schema, dialect);
    const inner = operation(context, { dialect, version, request: soapRequest, renderer });
    return reply
      .code(200)
      .type('text/xml; charset=utf-8')
      .send(renderEnvelope(dialect, soapRequest.operation, inner, usage));
  } catch (error) {
    if (error instanceof SoapApiFault)
      return reply.code(500).type('text/xml; charset=utf-8').send(renderFault(error, dialect));
    throw error;
  }
}
