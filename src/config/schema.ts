import { z } from 'zod';
import { DEFAULT_XML_LIMITS } from '../soap/index.ts';
import { isIpRange, isIpRangeOrPreset, isLoopbackHost } from '../network/index.ts';
import { salesforceIdSetting as salesforceId } from './salesforce-id-setting.ts';

const port = z.number().int().min(0).max(65535);

export const DEFAULT_DB_URL = 'sqlite:./data/relay.db';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/**
 * A Salesforce login or instance URL: https, or http only to a loopback host (the emulator).
 * Over plain http a token or SessionId could be read and replaced on the way.
 */
const salesforceUrl = httpUrl.refine(
  (url) => {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || isLoopbackHost(parsed.hostname);
  },
  { message: 'must be an https URL (http is accepted only for a loopback host such as 127.0.0.1)' },
);

/** How the relay gets an OAuth 2.0 access token for its callbacks (SALESFORCE.md §4). */
export const oauthConfigSchema = z
  .object({
    flow: z.enum(['client_credentials', 'jwt_bearer']),
    /** Where tokens come from: `{loginUrl}/services/oauth2/token` (login.salesforce.com, My Domain, the emulator). */
    loginUrl: salesforceUrl,
    clientId: z.string().min(1),
    /** client_credentials only. A secret: prefer SFRELAY_SALESFORCE_CLIENT_SECRET to a file. */
    clientSecret: z.string().min(1).optional(),
    /** jwt_bearer only: the user the token acts as (`sub`). */
    username: z.string().min(1).optional(),
    /** jwt_bearer only: the PEM private key, from a file or from the named environment variable. */
    privateKeyFile: z.string().min(1).optional(),
    privateKeyEnv: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((oauth, context) => {
    if (oauth.flow === 'client_credentials' && oauth.clientSecret === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['clientSecret'],
        message: 'client_credentials needs clientSecret',
      });
    }
    if (oauth.flow === 'jwt_bearer') {
      if (oauth.username === undefined)
        context.addIssue({
          code: 'custom',
          path: ['username'],
          message: 'jwt_bearer needs username (the JWT subject)',
        });
      if ((oauth.privateKeyFile === undefined) === (oauth.privateKeyEnv === undefined)) {
        context.addIssue({
          code: 'custom',
          path: ['privateKeyFile'],
          message: 'jwt_bearer needs exactly one of privateKeyFile or privateKeyEnv',
        });
      }
    }
  });
export type OAuthConfig = z.infer<typeof oauthConfigSchema>;

export const salesforceConfigSchema = z
  .object({
    apiVersion: z
      .string()
      .regex(/^\d{2}\.0$/, 'must look like 60.0')
      .default('60.0'),
    /** How the order result is written back: REST PATCH, SOAP partner update, or the Apex REST class. */
    callback: z.enum(['rest', 'soap', 'apex-rest']).default('rest'),
    /** Legacy orgs: call back with the message's SessionId when it carries one (OAuth stays the fallback). */
    useMessageSessionId: z.boolean().default(false),
    /** OAuth for every org, unless `orgs` has an entry for it. */
    oauth: oauthConfigSchema.optional(),
    orgs: z
      .array(
        z
          .object({
            organizationId: salesforceId,
            /** This org's OAuth, when it differs from `oauth`. */
            oauth: oauthConfigSchema.optional(),
            /**
             * Legacy mode: the only host this org's SessionId is sent to (`acme.my.salesforce.com`,
             * or `host:port` for a loopback emulator). Without it, the host OAuth reports is used.
             */
            instanceHost: z
              .string()
              .regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be a host name, optionally :port')
              .optional(),
          })
          .strict(),
      )
      .default([]),
    timeoutMs: z.number().int().min(100).max(120_000).default(30_000),
  })
  .strict();
export type SalesforceConfig = z.infer<typeof salesforceConfigSchema>;

export const erpConfigSchema = z
  .object({
    url: httpUrl.default('http://127.0.0.1:8090'),
    timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  })
  .strict();

export const workerConfigSchema = z
  .object({
    /**
     * ERP calls in flight within one batch. A batch is up to 200 ready notifications of distinct
     * records, read back with one SOQL query and written back with one Salesforce call.
     */
    concurrency: z.number().int().min(1).max(256).default(4),
    /** How long a claim holds; a crashed worker's notifications are taken over after this. */
    leaseSeconds: z.number().int().min(1).max(3600).default(60),
    /** How often an idle worker looks for work. */
    pollMs: z.number().int().min(10).max(60_000).default(250),
    /**
     * Temporary failures (5xx, timeouts, resets, UNABLE_TO_LOCK_ROW) are retried until the
     * notification is `maxAgeHours` old (counted from arrival or its last replay) — as long as
     * Salesforce itself retries a message — so an ERP maintenance window never makes dead
     * letters. `maxAttempts` is the backstop for a poison message: one claimed this many times
     * (each claim counts, so one that crashes its worker too) is dead at its next claim. The
     * default is well above the ~600 tries 24 hours of capped backoff take.
     */
    maxAttempts: z.number().int().min(1).max(100_000).default(1000),
    maxAgeHours: z
      .number()
      .positive()
      .max(24 * 365)
      .default(24),
    /** Full-jitter exponential backoff between tries, capped: a peer that is back is used within the cap. */
    backoffInitialMs: z.number().int().min(1).default(1000),
    backoffMaxMs: z.number().int().min(1).default(300_000),
  })
  .strict();
export const contractConfigSchema = z
  .object({
    /** A field the configured WSDL does not declare: store it as sent, or hold the notification. */
    unknownFields: z.enum(['accept', 'hold']).default('accept'),
    /** A notification that does not match the configured WSDL: hold it (stored, acked), or refuse the message. */
    onMismatch: z.enum(['hold', 'refuse']).default('hold'),
  })
  .strict();

export const retentionConfigSchema = z
  .object({
    /** Done notifications older than this are deleted by the worker, a small batch at a time. */
    doneDays: z.number().positive().max(36_500).default(30),
  })
  .strict();

export const ROLES = ['all', 'listener', 'worker'] as const;

/**
 * Every setting of the relay, with defaults that run on one machine. Unknown keys are errors,
 * so a typo never silently falls back to a default.
 */
export const relayConfigSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: port.default(8080),
    /** `sqlite:PATH` or `postgres://USER@HOST:PORT/DATABASE[?schema=NAME&pool=N]`. */
    db: z.string().min(1).default(DEFAULT_DB_URL),
    /**
     * Create or upgrade the inbox schema at start. Turn off when `sf-relay migrate` runs as a
     * separate deployment step; a relay then refuses to start on an older schema.
     */
    migrateOnStart: z.boolean().default(true),
    role: z.enum(ROLES).default('all'),
    /** Organisations whose messages are accepted, compared on the 15-character id. */
    allowedOrganizationIds: z.array(salesforceId).default([]),
    /** When set, messages are accepted only at `/soap/outbound/<token>`. A secret. */
    endpointToken: z
      .string()
      .min(16, 'must be at least 16 characters: it is the only thing guarding the endpoint')
      .regex(/^[A-Za-z0-9._~-]+$/, 'may hold only URL-safe characters (A-Z a-z 0-9 . _ ~ -)')
      .optional(),
    /**
     * Senders whose outbound messages are read at all: IPv4/IPv6 addresses and CIDR blocks, or
     * the preset `salesforce` (src/network/salesforce-ip-ranges.json). Checked before the body
     * is read, against the address `trustProxy` resolves. Empty: no address check.
     */
    allowedSourceIps: z
      .array(
        z.string().trim().refine(isIpRangeOrPreset, {
          message:
            'must be an IP address, a CIDR block (203.0.113.0/24, 2001:db8::/32) or salesforce',
        }),
      )
      .default([]),
    /**
     * Proxies (addresses or CIDR blocks) whose `X-Forwarded-For`, `X-Forwarded-Proto` and
     * forwarded client-certificate header are believed. Never "every peer": a header from
     * anyone else is ignored.
     */
    trustProxy: z
      .array(
        z.string().trim().refine(isIpRange, {
          message: 'must be an IP address or a CIDR block (10.0.0.0/8, fd00::/8)',
        }),
      )
      .default([]),
    /**
     * An outbound-message WSDL to serve on `?wsdl`, to take the sObject type from, and to hold
     * messages to (see `contract`). Without one, any well-formed outbound message is stored.
     */
    wsdl: z.string().min(1).optional(),
    contract: contractConfigSchema.default(contractConfigSchema.parse({})),
    retention: retentionConfigSchema.default(retentionConfigSchema.parse({})),
    limits: z
      .object({
        maxBodyBytes: z
          .number()
          .int()
          .min(1024)
          .max(64 * 1024 * 1024)
          .default(2 * 1024 * 1024),
        maxDepth: z.number().int().min(8).max(256).default(32),
        maxAttributes: z.number().int().min(8).max(1024).default(64),
        /**
         * A request must be received in full within this; Salesforce itself gives up after
         * 60 s, so a slower upload is a slow-loris attack or a broken peer.
         */
        requestTimeoutSeconds: z.number().int().min(1).max(600).default(60),
        /**
         * Most XML elements in one message (100 notifications of ~50 fields are ~6 000). Counted
         * as the body streams in, so a body of `<a/>` is cut off before it is buffered or parsed.
         */
        maxElements: z
          .number()
          .int()
          .min(1000)
          .max(1_000_000)
          .default(DEFAULT_XML_LIMITS.maxElements ?? 110_000),
        /** Open connections the server accepts at once; more are closed at once. */
        maxConnections: z.number().int().min(1).max(100_000).default(512),
        /** Requests on one keep-alive connection before the server closes it. */
        maxRequestsPerSocket: z.number().int().min(1).max(100_000).default(1000),
        /**
         * An idle keep-alive connection is closed after this. Below Salesforce's 60 s request
         * timeout, so a reused socket is never closed under a request Salesforce is still waiting on.
         */
        keepAliveTimeoutSeconds: z.number().int().min(1).max(59).default(30),
        /** Outbound-message requests in flight from one source address; more get a retryable fault. */
        maxConcurrentPerIp: z.number().int().min(1).max(10_000).default(64),
      })
      .strict()
      .prefault({}),
    tls: z
      .object({
        /** The server certificate and key. Absent when a TLS proxy in front terminates TLS. */
        certFile: z.string().min(1).optional(),
        keyFile: z.string().min(1).optional(),
        /** CA bundle that client certificates must chain to (mutual TLS). */
        caFile: z.string().min(1).optional(),
        requireClientCert: z.boolean().default(false),
        /**
         * Pins: the client certificate must also have one of these subjects (its CN, or the
         * full DN as `CN=…, O=…`) or SHA-256 fingerprints. Salesforce's client certificate
         * chains to a public CA, so a CA alone admits anyone's certificate.
         */
        clientCertSubjects: z.array(z.string().trim().min(1)).optional(),
        clientCertFingerprints: z
          .array(
            z
              .string()
              .trim()
              .regex(
                /^([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}$/,
                'must be a SHA-256 fingerprint (64 hex digits, colons optional)',
              ),
          )
          .optional(),
        /**
         * A TLS proxy in front verifies the client certificate and forwards it in this header
         * (URL-encoded PEM, as nginx's `$ssl_client_escaped_cert`); believed only from `trustProxy`.
         */
        clientCertHeader: z
          .string()
          .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name')
          .transform((name) => name.toLowerCase())
          .optional(),
      })
      .strict()
      .refine((tls) => (tls.certFile === undefined) === (tls.keyFile === undefined), {
        message: 'certFile and keyFile go together',
        path: ['keyFile'],
      })
      .refine((tls) => !tls.requireClientCert || tls.certFile !== undefined, {
        message: 'requireClientCert needs certFile and keyFile: the relay itself must speak TLS',
        path: ['certFile'],
      })
      .refine((tls) => !tls.requireClientCert || tls.caFile !== undefined, {
        message: 'requireClientCert needs caFile: the CA that client certificates must chain to',
        path: ['caFile'],
      })
      .refine(
        (tls) =>
          ((tls.clientCertSubjects ?? []).length === 0 &&
            (tls.clientCertFingerprints ?? []).length === 0) ||
          tls.requireClientCert ||
          tls.clientCertHeader !== undefined,
        {
          message:
            'client certificate pins need requireClientCert (the relay speaks TLS) or clientCertHeader (a proxy does)',
          path: ['clientCertFingerprints'],
        },
      )
      .optional(),
    logLevel: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    /**
     * Protects /dashboard, /api/*, /metrics and /readyz: basic auth and/or a bearer token. With
     * neither, the dashboard, its API and /metrics are closed unless `open: true` (loopback only).
     */
    dashboard: z
      .object({
        username: z.string().min(1).optional(),
        password: z.string().min(12, 'must be at least 12 characters').optional(),
        token: z.string().min(16, 'must be at least 16 characters').optional(),
        /** No credentials asked: for a relay on 127.0.0.1 that nothing (no proxy) exposes. */
        open: z.boolean().default(false),
        /** Event streams (`/api/events`) open at once; more get 503. */
        maxEventStreams: z.number().int().min(1).max(1000).default(16),
      })
      .strict()
      .refine((d) => (d.username === undefined) === (d.password === undefined), {
        message: 'username and password go together',
        path: ['password'],
      })
      .refine((d) => !d.open || (d.token === undefined && d.password === undefined), {
        message: 'open: true and credentials contradict each other: drop one',
        path: ['open'],
      })
      .prefault({}),
    salesforce: salesforceConfigSchema.default(salesforceConfigSchema.parse({})),
    erp: erpConfigSchema.default(erpConfigSchema.parse({})),
    worker: workerConfigSchema.default(workerConfigSchema.parse({})),
  })
  .strict();

export type RelayConfig = z.infer<typeof relayConfigSchema>;
export type RelayConfigInput = z.input<typeof relayConfigSchema>;
