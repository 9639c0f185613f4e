import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../../shared/index.ts';
import { SalesforceApiError, notFound } from '../api-error.ts';
import type { ApiUsage } from '../api-usage.ts';
import type { Session, SessionAuthority } from '../auth/session-authority.ts';
import type { RecordStore } from '../records/record-store.ts';
import type { QueryCursors } from './query-cursors.ts';
import type { RecentItems } from './recent-items.ts';

export const MIN_API_VERSION = 50;
export const MAX_API_VERSION = 62;

export type RestRequest = FastifyRequest<{
  Params: Partial<Record<string, string>>;
  Querystring: Record<string, string | undefined>;
}>;

/** What every REST resource module is handed when the REST plugin registers it. */
export interface RestContext {
  readonly app: FastifyInstance;
  readonly store: RecordStore;
  readonly authority: SessionAuthority;
  readonly cursors: QueryCursors;
  readonly clock: Clock;
  readonly usage: ApiUsage;
  readonly recent: RecentItems;
  /** Base URL of the org, read per request (the port is known only once it listens). */
  readonly instanceUrl: () => string;
  readonly organizationId: string;
  /** `v60.0` → `60.0`, or NOT_FOUND for a version the emulator does not serve. */
  apiVersion(request: RestRequest): string;
  /** The caller's session, or 401 INVALID_SESSION_ID. */
  authenticate(request: FastifyRequest): Session;
}

/** `v60.0` → `60.0`; any version from 50.0 up to the newest this emulator knows. */
export function apiVersionOf(raw: string | undefined): string {
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

/** A JSON object request body, or Salesforce's JSON_PARSER_ERROR. */
export function bodyObject(body: unknown, what = 'field values'): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SalesforceApiError(
      'JSON_PARSER_ERROR',
      `The request body must be a JSON object of ${what}`,
    );
  }
  return body as Record<string, unknown>;
}

/** `true`/`false` query parameters as Salesforce reads them (anything else is false). */
export function booleanParameter(value: string | undefined): boolean {
  return value?.toLowerCase() === 'true';
}
