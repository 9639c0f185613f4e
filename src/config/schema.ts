import { z } from 'zod';
import { salesforceIdSetting as salesforceId } from './salesforce-id-setting.ts';

const port = z.number().int().min(0).max(65535);

export const DEFAULT_DB_URL = 'sqlite:./data/relay.db';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** How the relay gets an OAuth 2.0 access token for its callbacks (SALESFORCE.md §4). */
export const oauthConfigSchema = z
  .object({
    flow: z.enum(['client_credentials', 'jwt_bearer']),
    /** Where tokens come from: `{loginUrl}/services/oauth2/token` (login.salesforce.com, My Domain, the emulator). */
    loginUrl: httpUrl,
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
      .array(z.object({ organizationId: salesforceId, oauth: oauthConfigSchema }).strict())
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
    /** Notifications processed at once (never two of the same record). */
    concurrency: z.number().int().min(1).max(256).default(4),
    /** How long a claim holds; a crashed worker's notifications are taken over after this. */
    leaseSeconds: z.number().int().min(1).max(3600).default(60),
    /** How often an idle worker looks for work. */
    pollMs: z.number().int().min(10).max(60_000).default(250),
    /** Tries before a notification is dead, and the age after which it is dead anyway. */
    maxAttempts: z.number().int().min(1).max(1000).default(12),
    maxAgeHours: z.number().positive().default(24),
    /** Full-jitter exponential backoff between tries. */
    backoffInitialMs: z.number().int().min(1).default(1000),
    backoffMaxMs: z.number().int().min(1).default(300_000),
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
    /**
     * Hosts an outbound message's EnterpriseUrl/PartnerUrl may name: exact hosts or `*.domain`.
     * Add your own for the emulator (`127.0.0.1`) or a private instance.
     */
    allowedInstanceHosts: z
      .array(
        z
          .string()
          .min(1)
          .regex(/^(\*\.)?[A-Za-z0-9.-]+$/, 'must be a host name or *.domain'),
      )
      .min(1)
      .default(['*.salesforce.com', '*.force.com']),
    /** When set, messages are accepted only at `/soap/outbound/<token>`. A secret. */
    endpointToken: z
      .string()
      .min(16, 'must be at least 16 characters: it is the only thing guarding the endpoint')
      .regex(/^[A-Za-z0-9._~-]+$/, 'may hold only URL-safe characters (A-Z a-z 0-9 . _ ~ -)')
      .optional(),
    /** An outbound-message WSDL to serve on `?wsdl` and to take the sObject type from. */
    wsdl: z.string().min(1).optional(),
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
      })
      .strict()
      .default({
        maxBodyBytes: 2 * 1024 * 1024,
        maxDepth: 32,
        maxAttributes: 64,
        requestTimeoutSeconds: 60,
      }),
    tls: z
      .object({
        certFile: z.string().min(1),
        keyFile: z.string().min(1),
        /** CA bundle that client certificates must chain to (mutual TLS). */
        caFile: z.string().min(1).optional(),
        requireClientCert: z.boolean().default(false),
      })
      .strict()
      .refine((tls) => !tls.requireClientCert || tls.caFile !== undefined, {
        message: 'requireClientCert needs caFile: the CA that client certificates must chain to',
        path: ['caFile'],
      })
      .optional(),
    logLevel: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    /** Protects /dashboard and /api/*: basic auth and/or a bearer token. Required off loopback. */
    dashboard: z
      .object({
        username: z.string().min(1).optional(),
        password: z.string().min(12, 'must be at least 12 characters').optional(),
        token: z.string().min(16, 'must be at least 16 characters').optional(),
      })
      .strict()
      .refine((d) => (d.username === undefined) === (d.password === undefined), {
        message: 'username and password go together',
        path: ['password'],
      })
      .default({}),
    salesforce: salesforceConfigSchema.default(salesforceConfigSchema.parse({})),
    erp: erpConfigSchema.default(erpConfigSchema.parse({})),
    worker: workerConfigSchema.default(workerConfigSchema.parse({})),
  })
  .strict();

export type RelayConfig = z.infer<typeof relayConfigSchema>;
export type RelayConfigInput = z.input<typeof relayConfigSchema>;
