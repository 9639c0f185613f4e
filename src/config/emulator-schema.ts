import { z } from 'zod';
import { isApiName } from '../soap/index.ts';
import { salesforceIdSetting as salesforceId } from './salesforce-id-setting.ts';
const apiName = z.string().refine(isApiName, { message: 'must be a Salesforce API name' });

export const DEFAULT_EMULATOR_USER = 'integration@sf-relay.example';

const userSchema = z
  .object({
    username: z.string().min(3),
    password: z.string().min(1),
    firstName: z.string().default('Integration'),
    lastName: z.string().default('User'),
    email: z.string().default('integration@sf-relay.example'),
    /**
     * Permission sets from the metadata this user is assigned. A user with them is governed by
     * them (object permissions, Modify All, field edit, record ownership and sharing); a user
     * without is an administrator ("Modify All Data").
     */
    permissionSets: z.array(z.string().min(1)).optional(),
  })
  .strict();

/**
 * The consumer key and secret of an external client app in the metadata: Salesforce generates
 * them on deploy, so they live here, never in the metadata.
 */
const externalClientAppSchema = z
  .object({
    /** The app's API name: its `externalClientApps/<name>.eca-meta.xml`. */
    name: z.string().min(1),
    clientId: z.string().min(8),
    clientSecret: z.string().min(8),
    /** X.509 certificate (PEM) whose key signs JWT bearer assertions. */
    certificateFile: z.string().min(1).optional(),
  })
  .strict();

const connectedAppSchema = z
  .object({
    name: z.string().min(1),
    clientId: z.string().min(8),
    clientSecret: z.string().min(8),
    /** The user a client-credentials token acts as; without one that grant is refused, as in Salesforce. */
    runAsUsername: z.string().min(3).optional(),
    /** OAuth scopes the app grants (default api and refresh_token). */
    scopes: z.array(z.string().min(1)).optional(),
    /** X.509 certificate (PEM) whose key signs JWT bearer assertions. */
    certificateFile: z.string().min(1).optional(),
  })
  .strict();

/**
 * An outbound message definition in the config. One named like a definition in the metadata
 * overrides only the keys it gives (e.g. `endpointUrl`); any other is a definition of its own,
 * with the bundled Opportunity definition's values for the keys it leaves out.
 */
const outboundMessageSchema = z
  .object({
    name: apiName,
    actionId: salesforceId.optional(),
    object: apiName.optional(),
    fields: z.array(apiName).optional(),
    endpointUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    userToSendAs: z.string().optional(),
    includeSessionId: z.boolean().optional(),
    criteria: z
      .object({
        field: apiName.default('StageName'),
        equals: z.string().default('Closed Won'),
        triggerType: z
          .enum(['onCreateOrTriggeringUpdate', 'onAllChanges'])
          .default('onCreateOrTriggeringUpdate'),
      })
      .strict()
      .optional(),
  })
  .strict();

/** Configuration of the local Salesforce org (`sf-relay emulator`, `startEmulator`). */
export const emulatorConfigSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8443),
    organizationId: salesforceId.default('00D5g000004XyZ1EAK'),
    organizationName: z.string().min(1).default('sf-relay Emulator'),
    /** How long an access token / session id lives (Salesforce's org session timeout). */
    sessionTtlSeconds: z.number().int().min(1).default(7200),
    /** Keep records in this SQLite file across restarts (default: in memory only). */
    dataFile: z.string().min(1).optional(),
    /** Older orgs: outbound messages carry a session of the user to send as (off since 2026). */
    legacySessionId: z.boolean().default(false),
    users: z
      .array(userSchema)
      .min(1)
      .default([
        {
          username: DEFAULT_EMULATOR_USER,
          password: 'emulator-password',
          firstName: 'Integration',
          lastName: 'User',
          email: DEFAULT_EMULATOR_USER,
        },
      ]),
    connectedApps: z.array(connectedAppSchema).default([
      {
        name: 'sf_relay',
        clientId: 'sf-relay-emulator-client',
        clientSecret: 'sf-relay-emulator-secret',
        runAsUsername: DEFAULT_EMULATOR_USER,
      },
    ]),
    /**
     * Credentials of the metadata's external client apps. Default: the shipped SF_Relay app's
     * (client id sf-relay-emulator-eca, secret sf-relay-emulator-eca-secret), when the
     * metadata has it.
     */
    externalClientApps: z.array(externalClientAppSchema).optional(),
    /**
     * Organization-wide sharing defaults by object, for users governed by permission sets.
     * Objects not named are Public Read/Write; the default is a strict org, where only owners
     * and Modify All edit Accounts and Opportunities.
     */
    organizationWideDefaults: z
      .record(apiName, z.enum(['Private', 'Read', 'ReadWrite']))
      .default({ Account: 'Private', Opportunity: 'Private' }),
    /**
     * An SFDX project whose custom fields, outbound messages and flows the org runs (default:
     * the repository's salesforce-metadata/, what a user deploys).
     */
    metadataDir: z.string().min(1).optional(),
    /** Overrides of (or additions to) the metadata's outbound messages; `[]` sends none. */
    outboundMessages: z.array(outboundMessageSchema).optional(),
    retry: z
      .object({
        initialDelaySeconds: z.number().positive().default(30),
        maxDelaySeconds: z.number().positive().default(7200),
        maxAgeHours: z.number().positive().default(24),
        jitterRatio: z.number().min(0).max(0.5).default(0.1),
      })
      .strict()
      .default({
        initialDelaySeconds: 30,
        maxDelaySeconds: 7200,
        maxAgeHours: 24,
        jitterRatio: 0.1,
      }),
    delivery: z
      .object({
        timeoutSeconds: z.number().positive().default(60),
        pollMs: z.number().int().min(5).default(100),
        maxConcurrent: z.number().int().min(1).max(64).default(4),
      })
      .strict()
      .default({ timeoutSeconds: 60, pollMs: 100, maxConcurrent: 4 }),
    /**
     * The org's daily API request allowance, counted and enforced: Enterprise Edition's base of
     * 100 000 by default (Developer Edition has 15 000), since chaos runs make tens of thousands.
     */
    limits: z
      .object({ dailyApiRequests: z.number().int().min(1).default(100_000) })
      .strict()
      .default({ dailyApiRequests: 100_000 }),
    logLevel: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
  })
  .strict();

export type EmulatorConfig = z.infer<typeof emulatorConfigSchema>;
export type EmulatorConfigInput = z.input<typeof emulatorConfigSchema>;
