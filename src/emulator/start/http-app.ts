import { fastify, LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { EmulatorConfig } from '../../config/index.ts';
import type { Logger } from '../../shared/index.ts';
import type { ApiCounters } from '../api-counters.ts';
import type { ApiUsage } from '../api-usage.ts';
import { apexRestRoutes } from '../apex-rest/index.ts';
import { registerApiHooks } from '../api-fault-hook.ts';
import { oauthRoutes, type ConnectedApp } from '../auth/index.ts';
import { controlRoutes } from '../control/control-routes.ts';
import type { FaultInjector } from '../faults.ts';
import { QueryCursors } from '../rest/query-cursors.ts';
import { restRoutes } from '../rest/rest-routes.ts';
import { soapApiRoutes } from '../soap-api/index.ts';
import { runSoql } from '../soql/index.ts';
import type { Org } from './open-org.ts';
import type { Outbound } from './outbound.ts';

export interface HttpAppParts {
  readonly org: Org;
  readonly outbound: Outbound;
  readonly apps: readonly ConnectedApp[];
  readonly counters: ApiCounters;
  readonly usage: ApiUsage;
  readonly faults: FaultInjector;
  readonly logger: Logger;
}

/**
 * The org's HTTP face, not yet listening: API hooks (faults, counters, the daily allowance),
 * then OAuth, REST, Apex REST, SOAP and the emulator's control API. Each plugin reads `orgUrl.url`
 * through a getter (never a copy) at request time: the port is known only once the server listens.
 */
export function createHttpApp(
  config: EmulatorConfig,
  parts: HttpAppParts,
  orgUrl: { readonly url: string },
): FastifyInstance {
  const { org, outbound, counters, usage, faults } = parts;
  const { clock, store, authority, organizationId } = org;
  const app = fastify({
    loggerInstance: parts.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 50 * 1024 * 1024,
    // Salesforce answers `/query/?q=` and `/sobjects/Account/` as without the slash, and
    // simple-salesforce always sends it.
    routerOptions: { ignoreTrailingSlash: true },
  });
  registerApiHooks(app, faults, counters, usage);
  app.register(oauthRoutes, {
    authority,
    apps: parts.apps,
    organizationId,
    clock,
    get instanceUrl() {
      return orgUrl.url;
    },
    get loginUrl() {
      return orgUrl.url;
    },
  });
  app.register(restRoutes, {
    get instanceUrl() {
      return orgUrl.url;
    },
    store,
    authority,
    cursors: new QueryCursors(org.ids),
    clock,
    usage,
    organizationId,
  });
  app.register(apexRestRoutes, { store, authority });
  app.register(soapApiRoutes, {
    get instanceUrl() {
      return orgUrl.url;
    },
    authority,
    store,
    organizationId,
    clock,
    runSoql: (records, soql, soqlOptions) =>
      runSoql(records, soql, { ...soqlOptions, now: clock.now() }),
    sessionSecondsValid: config.sessionTtlSeconds,
    usage,
  });
  app.register(controlRoutes, {
    get instanceUrl() {
      return orgUrl.url;
    },
    ...outbound,
    clock,
    faults,
    counters,
    usage,
    authority,
    organizationId,
  });
  return app;
}
