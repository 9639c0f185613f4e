import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.ts';
import { toId15, toId18 } from '../../soap/index.ts';
import type { XmlElement } from '../../soap/index.ts';
import { SalesforceApiError } from '../api-error.ts';
import type { ApiUsage } from '../api-usage.ts';
import type { RecordStore } from '../records/record-store.ts';
import type { Session, SessionAuthority } from '../auth/session-authority.ts';
import type { QueryResult } from '../soql/query-result.ts';
import { NAMESPACES, SOAP_ENVELOPE_NS, XSI_NS, type ApiDialect } from './dialect.ts';
import { childText, noOperation, parseSoapRequest, type SoapRequest } from './parse-request.ts';
import { QueryCursors } from './query-cursors.ts';
import { SObjectRenderer } from './render-sobject.ts';
import { retrieveRecords } from './retrieve.ts';
import {
  UNSUPPORTED_OPERATIONS,
  describeSObjects,
  describeTabs,
  serverTimestamp,
  unsupportedOperation,
} from './describe-operations.ts';
import { deleteRecords, saveRecords, upsertRecords } from './save-operations.ts';
import { SoapApiFault, clientFault, invalidSessionFault, renderFault } from './soap-fault.ts';
import { renderUserInfo } from './user-info.ts';

/** The SOQL engine's entry point (`runSoql` from `../soql/index.ts`). */
export type SoqlRunner = (
  store: RecordStore,
  soql: string,
  options: { includeDeleted: boolean },
) => QueryResult;

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
/** Salesforce removed `login()` from the SOAP API in version 65.0. */
export const LOGIN_REMOVED_IN_VERSION = 65;
export const DEFAULT_BATCH_SIZE = 500;
const MIN_BATCH_SIZE = 200;
const MAX_BATCH_SIZE = 2000;

interface CallContext {
  readonly dialect: ApiDialect;
  readonly version: string;
  readonly request: SoapRequest;
  readonly renderer: SObjectRenderer;
}

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
  const { authority, store, clock } = options;
  const organizationId = toId18(options.organizationId);
  const cursors = new QueryCursors(clock);
  const sessionSecondsValid = options.sessionSecondsValid ?? 7200;

  app.addContentTypeParser(
    ['text/xml', 'application/soap+xml'],
    { parseAs: 'buffer' },
    (_request, body, done) => done(null, body),
  );

  const instanceUrl = (): string => options.instanceUrl.replace(/\/+$/, '');

  const authenticate = (request: SoapRequest): Session => {
    try {
      return authority.authenticate(request.sessionId);
    } catch (error) {
      if (error instanceof SalesforceApiError) throw invalidSessionFault(request.sessionId);
      throw error;
    }
  };

  const batchSizeOf = (request: SoapRequest): number =>
    Math.min(MAX_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, request.batchSize ?? DEFAULT_BATCH_SIZE));

  const serverUrl = (letter: 'u' | 'c' | 'm', version: string): string =>
    `${instanceUrl()}/services/Soap/${letter}/${version}/${toId15(organizationId)}`;

  const operations: Record<string, (context: CallContext) => string> = {
    login({ dialect, version, request }) {
      if (Number(version) >= LOGIN_REMOVED_IN_VERSION) throw noOperation(request.operation);
      const username = childText(request.operation, 'username') ?? '';
      const password = childText(request.operation, 'password') ?? '';
      let session: Session;
      try {
        session = authority.login(username, password);
      } catch (error) {
        if (error instanceof SalesforceApiError) throw new SoapApiFault(error.code, error.message);
        throw error;
      }
      const user = authority.findUser(session.userId);
      return (
        `<metadataServerUrl>${serverUrl('m', version)}</metadataServerUrl>` +
        `<passwordExpired>false</passwordExpired>` +
        `<sandbox>${options.sandbox === true ? 'true' : 'false'}</sandbox>` +
        `<serverUrl>${serverUrl(NAMESPACES[dialect].pathLetter, version)}</serverUrl>` +
        `<sessionId>${session.accessToken}</sessionId>` +
        `<userId>${session.userId}</userId>` +
        `<userInfo>${renderUserInfo(session, user, { store, sessionSecondsValid })}</userInfo>`
      );
    },

    logout({ request }) {
      const session = authenticate(request);
      authority.revoke(session.accessToken);
      return '';
    },

    getUserInfo({ request }) {
      const session = authenticate(request);
      return renderUserInfo(session, authority.findUser(session.userId), {
        store,
        sessionSecondsValid,
      });
    },

    create({ dialect, request }) {
      const session = authenticate(request);
      return saveRecords('create', request.operation, dialect, store, session.userId);
    },

    update({ dialect, request }) {
      const session = authenticate(request);
      return saveRecords('update', request.operation, dialect, store, session.userId);
    },

    upsert({ dialect, request }) {
      const session = authenticate(request);
      return upsertRecords(request.operation, dialect, store, session.userId);
    },

    delete({ request }) {
      const session = authenticate(request);
      return deleteRecords('delete', request.operation, store, session.userId);
    },

    undelete({ request }) {
      const session = authenticate(request);
      return deleteRecords('undelete', request.operation, store, session.userId);
    },

    describeSObject({ request }) {
      authenticate(request);
      return describeSObjects(request.operation, store.schema);
    },

    describeSObjects({ request }) {
      authenticate(request);
      return describeSObjects(request.operation, store.schema);
    },

    describeTabs({ request }) {
      authenticate(request);
      return describeTabs(store.schema, instanceUrl());
    },

    getServerTimestamp({ request }) {
      authenticate(request);
      return serverTimestamp(clock.now());
    },

    retrieve({ request, renderer }) {
      authenticate(request);
      return retrieveRecords(request.operation, store, renderer);
    },

    query: (context) => runQuery(context, false),
    queryAll: (context) => runQuery(context, true),

    queryMore({ request, renderer }) {
      const session = authenticate(request);
      const locator = childText(request.operation, 'queryLocator') ?? '';
      const page = cursors.next(session.userId, locator, batchSizeOf(request));
      return renderer.queryResult(page.records, page.totalSize, page.queryLocator);
    },
  };

  const runQuery = ({ request, renderer }: CallContext, includeDeleted: boolean): string => {
    const session = authenticate(request);
    if (!options.runSoql)
      throw new SoapApiFault('UNKNOWN_EXCEPTION', 'the emulator was started without a SOQL engine');
    const soql = childText(request.operation, 'queryString') ?? '';
    let result: QueryResult;
    try {
      result = options.runSoql(store, soql, { includeDeleted });
    } catch (error) {
      if (error instanceof SalesforceApiError) throw new SoapApiFault(error.code, error.message);
      throw error;
    }
    const page = cursors.open(
      session.userId,
      result.records,
      result.totalSize,
      batchSizeOf(request),
    );
    return renderer.queryResult(page.records, page.totalSize, page.queryLocator);
  };

  const envelope = (dialect: ApiDialect, operation: XmlElement, inner: string): string => {
    const ns = NAMESPACES[dialect];
    const response = `${operation.local}Response`;
    const result = operation.local === 'logout' ? '' : wrapResults(operation.local, inner);
    // LimitInfoHeader, on "all calls, except for login()" (SOAP API Developer Guide,
    // sforce_api_header_limitinfo.htm): the org's daily API usage.
    const usage = options.usage;
    const header =
      usage === undefined || operation.local === 'login'
        ? ''
        : `<soapenv:Header><LimitInfoHeader><limitInfo><current>${usage.used}</current>` +
          `<limit>${usage.max}</limit><type>API REQUESTS</type></limitInfo></LimitInfoHeader></soapenv:Header>`;
    return (
      `<?xml version="1.0" encoding="UTF-8"?>` +
      `<soapenv:Envelope xmlns:soapenv="${SOAP_ENVELOPE_NS}" xmlns="${ns.api}" xmlns:xsi="${XSI_NS}" xmlns:sf="${ns.sobject}">` +
      header +
      `<soapenv:Body><${response}>${result}</${response}></soapenv:Body></soapenv:Envelope>`
    );
  };

  const handle = async (
    dialect: ApiDialect,
    request: FastifyRequest<{ Params: { version: string; orgId?: string } }>,
    reply: FastifyReply,
  ): Promise<FastifyReply> => {
    const sendFault = (fault: SoapApiFault): FastifyReply =>
      reply.code(500).type('text/xml; charset=utf-8').send(renderFault(fault, dialect));
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
      const operation = Object.hasOwn(operations, name) ? operations[name] : undefined;
      if (!operation && UNSUPPORTED_OPERATIONS.has(name)) throw unsupportedOperation(name);
      if (!operation) throw noOperation(soapRequest.operation);
      const renderer = new SObjectRenderer(store.schema, dialect);
      const inner = operation({ dialect, version, request: soapRequest, renderer });
      return reply
        .code(200)
        .type('text/xml; charset=utf-8')
        .send(envelope(dialect, soapRequest.operation, inner));
    } catch (error) {
      if (error instanceof SoapApiFault) return sendFault(error);
      throw error;
    }
  };

  const bodyLimit = 50 * 1024 * 1024;
  for (const dialect of ['partner', 'enterprise'] as const) {
    const letter = NAMESPACES[dialect].pathLetter;
    for (const path of [
      `/services/Soap/${letter}/:version`,
      `/services/Soap/${letter}/:version/:orgId`,
    ]) {
      app.post<{ Params: { version: string; orgId?: string } }>(
        path,
        { bodyLimit },
        (request, reply) => handle(dialect, request, reply),
      );
    }
  }
}

/** Each operation's results sit in `<result>` elements, except those that render their own. */
const RENDER_OWN_RESULTS = new Set([
  'create',
  'update',
  'upsert',
  'delete',
  'undelete',
  'retrieve',
  'describeSObject',
  'describeSObjects',
  'describeTabs',
  'getServerTimestamp',
]);

function wrapResults(operation: string, inner: string): string {
  if (RENDER_OWN_RESULTS.has(operation)) return inner;
  if (operation === 'query' || operation === 'queryAll' || operation === 'queryMore') {
    return `<result xsi:type="QueryResult">${inner}</result>`;
  }
  return `<result>${inner}</result>`;
}
