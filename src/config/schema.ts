import { z } from 'zod';
import { isSalesforceId } from '../soap/index.ts';

const salesforceId = z.string().trim().refine(isSalesforceId, {
  message: 'must be a 15- or 18-character Salesforce id',
});

const port = z.number().int().min(0).max(65535);

export const DEFAULT_DB_URL = 'sqlite:./data/relay.db';
export const ROLES = ['all', 'listener', 'worker'] as const;

/**
 * Every setting of the relay, with defaults that run on one machine. Unknown keys are errors,
 * so a typo never silently falls back to a default.
 */
export const relayConfigSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: port.default(8080),
    /** `sqlite:PATH` (or `postgres://…` once the PostgreSQL store lands). */
    db: z.string().min(1).default(DEFAULT_DB_URL),
    role: z.enum(ROLES).default('listener'),
    /** Organisations whose messages are accepted, compared on the 15-character id. */
    allowedOrganizationIds: z.array(salesforceId).default([]),
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
      })
      .strict()
      .default({ maxBodyBytes: 2 * 1024 * 1024, maxDepth: 32, maxAttributes: 64 }),
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
  })
  .strict();

export type RelayConfig = z.infer<typeof relayConfigSchema>;
export type RelayConfigInput = z.input<typeof relayConfigSchema>;
