import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../../shared/index.ts';
import { toId18 } from '../../soap/index.ts';
import type { ApiUsage } from '../api-usage.ts';
import type { SessionAuthority } from '../auth/session-authority.ts';
import type { RecordStore } from '../records/record-store.ts';
import { collectionsRoutes } from './collections-routes.ts';
import { compositeRoutes } from './composite-routes.ts';
import { discoveryRoutes } from './discovery-routes.ts';
import { restErrorReplies } from './error-replies.ts';
import { externalIdRoutes } from './external-id-routes.ts';
import { acceptJsonBodies } from './json-body.ts';
import { limitsRoutes } from './limits-routes.ts';
import type { QueryCursors } from './query-cursors.ts';
import { queryRoutes } from './query-routes.ts';
import { RecentItems } from './recent-items.ts';
import { recentRoutes } from './recent-routes.ts';
import { replicationRoutes } from './replication-routes.ts';
import {
  MAX_API_VERSION,
  MIN_API_VERSION,
  apiVersionOf,
  bearerToken,
  type RestContext,
} from './rest-context.ts';
import { describeRoutes, recordRoutes } from './sobject-routes.ts';

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

/** The REST API under `/services/data`, answering as Salesforce does, errors included. */
export async function restRoutes(app: FastifyInstance, options: RestRoutesOptions): Promise<void> {
  acceptJsonBodies(app);
  restErrorReplies(app);
  const { store, authority, cursors, clock } = options;
  const context: RestContext = {
    app,
    store,
    authority,
    cursors,
    clock,
    usage: options.usage,
    recent: new RecentItems(),
    instanceUrl: () => options.instanceUrl.replace(/\/+$/, ''),
    organizationId: toId18(options.organizationId),
    apiVersion: (request) => apiVersionOf(request.params.version),
    authenticate: (request: FastifyRequest) => authority.authenticate(bearerToken(request)),
  };
  discoveryRoutes(context);
  describeRoutes(context);
  recordRoutes(context);
  queryRoutes(context);
  limitsRoutes(context);
  collectionsRoutes(context);
  externalIdRoutes(context);
  compositeRoutes(context);
  replicationRoutes(context);
  recentRoutes(context);
}
