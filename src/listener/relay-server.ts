import { readFileSync } from 'node:fs';
import {
  fastify,
  LogController,
  type FastifyInstance,
  type onRequestAsyncHookHandler,
} from 'fastify';
import type { RelayConfig } from '../config/index.ts';
import type { Inbox, StoreResult } from '../inbox/index.ts';
import type { Logger } from '../shared/index.ts';
import type { OutboundWsdl } from '../soap/index.ts';
import { healthRoutes } from './health-routes.ts';
import { Readiness } from './readiness.ts';
import { outboundRoute } from './outbound-route.ts';
import { addElementBudget } from './element-budget.ts';
import { addSenderChecks, senderChecksOf } from './sender-checks.ts';
import { inboxForListener } from './session-id-policy.ts';

export interface RelayServerOptions {
  readonly config: RelayConfig;
  readonly inbox: Inbox;
  readonly logger: Logger;
  /** Absent when this process runs no listener (`--role worker`): health routes only. */
  readonly wsdl: OutboundWsdl | undefined;
  /** Called after each message is committed, so a worker in the same process starts at once. */
  readonly onStored?: (result: StoreResult, ackSeconds: number) => void;
  /** Extra routes on the same server (`/metrics`). */
  readonly routes?: (app: FastifyInstance) => Promise<void>;
  /** Guards `/readyz` like the rest of the operator surface, when credentials are configured. */
  readonly readinessGuard?: onRequestAsyncHookHandler;
}

/** A sender that has not sent its headers within this is not Salesforce (which sends them at once). */
const HEADERS_TIMEOUT_MS = 10_000;
/**
 * How often Node looks for requests past their timeout. Its default (30 s) would let a
 * slow-loris upload live up to half as long again as `requestTimeoutSeconds`.
 */
const TIMEOUT_CHECK_MS = 1000;

/** The relay's HTTP(S) server: the outbound-message endpoint and health checks. */
export function buildRelayServer(options: RelayServerOptions): FastifyInstance {
  const { config } = options;
  const requestTimeoutMs = config.limits.requestTimeoutSeconds * 1000;
  const serverTimeouts = {
    requestTimeout: requestTimeoutMs,
    headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs),
    connectionsCheckingInterval: TIMEOUT_CHECK_MS,
  };
  const common = {
    loggerInstance: options.logger,
    // Fastify's own request lines would log the URL, and the URL may carry the endpoint token.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.limits.maxBodyBytes,
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: config.limits.keepAliveTimeoutSeconds * 1000,
    maxRequestsPerSocket: config.limits.maxRequestsPerSocket,
    // Only the listed proxies: request.ip is then the address they forwarded, anyone else's own.
    ...(config.trustProxy.length > 0 ? { trustProxy: [...config.trustProxy] } : {}),
    http: serverTimeouts,
    return503OnClosing: true,
  };
  // Routes do not care whether TLS is on; Fastify's types give the HTTPS instance a different
  // server type parameter, so both are viewed through the plain instance type.
  const tls =
    config.tls?.certFile !== undefined && config.tls.keyFile !== undefined ? config.tls : undefined;
  const app = (tls !== undefined && tls.certFile !== undefined && tls.keyFile !== undefined
    ? fastify({
        ...common,
        https: {
          ...serverTimeouts,
          cert: readFileSync(tls.certFile),
          key: readFileSync(tls.keyFile),
          ...(tls.caFile === undefined ? {} : { ca: readFileSync(tls.caFile) }),
          requestCert: tls.requireClientCert,
          rejectUnauthorized: tls.requireClientCert,
        },
      })
    : fastify(common)) as unknown as FastifyInstance;

  // More connections than this are closed as they arrive, before any request is parsed.
  app.server.maxConnections = config.limits.maxConnections;
  const readiness = new Readiness(options.inbox);
  app.register(healthRoutes, { readiness, guard: options.readinessGuard });
  if (options.routes) app.register(options.routes);
  const wsdl = options.wsdl;
  if (wsdl === undefined) return app;
  const senderChecks = senderChecksOf(config);
  // The route's own plugin scope stays as it is; the sender checks wrap it, so they run first.
  app.register(async (scope) => {
    addSenderChecks(scope, senderChecks);
    addElementBudget(scope, config.limits.maxElements, config.limits.maxBodyBytes);
    await scope.register(outboundRoute, {
      onStored: (result: StoreResult, ackSeconds: number) => {
        readiness.committed();
        options.onStored?.(result, ackSeconds);
      },
      inbox: inboxForListener(options.inbox, config.salesforce.useMessageSessionId),
      allowedOrganizationIds: config.allowedOrganizationIds,
      endpointToken: config.endpointToken,
      wsdl,
      // The bundled WSDL only describes the endpoint; only one the operator chose is enforced.
      contract: config.wsdl === undefined ? undefined : config.contract,
      limits: {
        maxBytes: config.limits.maxBodyBytes,
        maxDepth: config.limits.maxDepth,
        maxAttributes: config.limits.maxAttributes,
        maxElements: config.limits.maxElements,
      },
    });
  });
  return app;
}
