import { readFileSync } from 'node:fs';
import { fastify, LogController, type FastifyInstance } from 'fastify';
import type { RelayConfig } from '../config/index.ts';
import type { Inbox, StoreResult } from '../inbox/index.ts';
import type { Logger } from '../logger.ts';
import type { OutboundWsdl } from '../soap/index.ts';
import { healthRoutes } from './health-routes.ts';
import { outboundRoute } from './outbound-route.ts';

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
    http: serverTimeouts,
    return503OnClosing: true,
  };
  // Routes do not care whether TLS is on; Fastify's types give the HTTPS instance a different
  // server type parameter, so both are viewed through the plain instance type.
  const app = (config.tls
    ? fastify({
        ...common,
        https: {
          ...serverTimeouts,
          cert: readFileSync(config.tls.certFile),
          key: readFileSync(config.tls.keyFile),
          ...(config.tls.caFile === undefined ? {} : { ca: readFileSync(config.tls.caFile) }),
          requestCert: config.tls.requireClientCert,
          rejectUnauthorized: config.tls.requireClientCert,
        },
      })
    : fastify(common)) as unknown as FastifyInstance;

  app.register(healthRoutes, { inbox: options.inbox });
  if (options.routes) app.register(options.routes);
  if (options.wsdl === undefined) return app;
  app.register(outboundRoute, {
    onStored: options.onStored,
    inbox: options.inbox,
    allowedOrganizationIds: config.allowedOrganizationIds,
    endpointToken: config.endpointToken,
    wsdl: options.wsdl,
    // The bundled WSDL only describes the endpoint; only one the operator chose is enforced.
    contract: config.wsdl === undefined ? undefined : config.contract,
    limits: {
      maxBytes: config.limits.maxBodyBytes,
      maxDepth: config.limits.maxDepth,
      maxAttributes: config.limits.maxAttributes,
    },
  });
  return app;
}
