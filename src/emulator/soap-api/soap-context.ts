import type { Clock } from '../../shared/index.ts';
import { SalesforceApiError } from '../api-error.ts';
import type { Session, SessionAuthority } from '../auth/session-authority.ts';
import type { RecordStore } from '../records/record-store.ts';
import type { QueryResult } from '../soql/query-result.ts';
import type { ApiDialect } from './dialect.ts';
import type { SoapRequest } from './parse-request.ts';
import type { QueryCursors } from './query-cursors.ts';
import type { SObjectRenderer } from './render-sobject.ts';
import { SoapApiFault, invalidSessionFault } from './soap-fault.ts';

/** The SOQL engine's entry point (`runSoql` from `../soql/index.ts`). */
export type SoqlRunner = (
  store: RecordStore,
  soql: string,
  options: { includeDeleted: boolean },
) => QueryResult;

/** What every SOAP operation is handed: the org's parts, built once per plugin. */
export interface SoapContext {
  readonly authority: SessionAuthority;
  readonly store: RecordStore;
  readonly clock: Clock;
  /** The org id, 18 characters. */
  readonly organizationId: string;
  readonly cursors: QueryCursors;
  readonly runSoql: SoqlRunner | undefined;
  readonly sessionSecondsValid: number;
  readonly sandbox: boolean;
  /** Base URL of the org without a trailing slash, read per request. */
  instanceUrl(): string;
}

/** One call: its dialect, the API version from the URL, the parsed request. */
export interface SoapCall {
  readonly dialect: ApiDialect;
  readonly version: string;
  readonly request: SoapRequest;
  readonly renderer: SObjectRenderer;
}

/** One operation of the SOAP API: the inner XML of its response element. */
export type SoapOperation = (context: SoapContext, call: SoapCall) => string;

/** The session of `SessionHeader`, or INVALID_SESSION_ID as a SOAP fault. */
export function authenticate(context: SoapContext, request: SoapRequest): Session {
  try {
    return context.authority.authenticate(request.sessionId);
  } catch (error) {
    if (error instanceof SalesforceApiError) throw invalidSessionFault(request.sessionId);
    throw error;
  }
}

/** Runs `work`, turning the org's API errors into the SOAP faults with the same code. */
export function asSoapFault<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof SalesforceApiError) throw new SoapApiFault(error.code, error.message);
    throw error;
  }
}
