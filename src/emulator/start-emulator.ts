import { readFileSync } from 'node:fs';
import { fastify, LogController, type FastifyBaseLogger } from 'fastify';
import {
  emulatorConfigSchema,
  type EmulatorConfig,
  type EmulatorConfigInput,
} from '../config/index.ts';
import { createLogger, type Logger } from '../logger.ts';
import { toId18 } from '../soap/index.ts';
import { ApiCounters } from './api-counters.ts';
import { ApiUsage } from './api-usage.ts';
import { apexRestRoutes } from './apex-rest/index.ts';
import { registerApiHooks } from './api-fault-hook.ts';
import {
  createSessionAuthority,
  externalClientApps,
  oauthRoutes,
  type ConnectedApp,
  type EmulatorSessionAuthority,
} from './auth/index.ts';
import type { EmulatorUser } from './auth/session-authority.ts';
import { controlRoutes } from './control/control-routes.ts';
import { FaultInjector } from './faults.ts';
import { createAutomation } from './outbound/automation.ts';
import type { OutboundMessageDefinition } from './outbound/definition.ts';
import { configuredDefinitions } from './outbound/configured-definitions.ts';
import { OutboundDefinitions } from './outbound/outbound-definitions.ts';
import { DEFAULT_METADATA_DIR, loadSalesforceMetadata } from './metadata/index.ts';
import { OutboundQueue } from './outbound/outbound-queue.ts';
import { OutboundSender } from './outbound/outbound-sender.ts';
import { IdFactory } from './records/id-factory.ts';
import { RecordFile } from './records/record-file.ts';
import { RecordStore } from './records/record-store.ts';
import { createAccessCheck, restrictedUsers } from './records/sharing.ts';
import { QueryCursors } from './rest/query-cursors.ts';
import { restRoutes } from './rest/rest-routes.ts';
import { Schema } from './schema/schema.ts';
import { soapApiRoutes } from './soap-api/index.ts';
import { VirtualClock } from './virtual-clock.ts';
import { runSoql } from './soql/index.ts';

export interface StartEmulatorOptions {
  readonly config?: EmulatorConfigInput;
  readonly logger?: Logger;
}

export interface RunningEmulator {
  /** `http://127.0.0.1:PORT`: the instance URL and login URL of the org. */
  readonly url: string;
  readonly organizationId: string;
  /** A session of the first configured user, ready for jsforce `new Connection({ instanceUrl, accessToken })`. */
  readonly accessToken: string;
  readonly config: EmulatorConfig;
  readonly store: RecordStore;
  readonly clock: VirtualClock;
  readonly authority: EmulatorSessionAuthority;
  readonly queue: OutboundQueue;
  readonly sender: OutboundSender;
  readonly definitions: OutboundDefinitions;
  readonly faults: FaultInjector;
  readonly counters: ApiCounters;
  /** The daily API allowance: `Sforce-Limit-Info`, `/limits`, REQUEST_LIMIT_EXCEEDED. */
  readonly usage: ApiUsage;
  readonly users: readonly EmulatorUser[];
  close(): Promise<void>;
}

/** Starts a local Salesforce org on loopback: REST, SOAP, OAuth, automation and the sender. */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const config = emulatorConfigSchema.parse(options.config ?? {});
  const logger = options.logger ?? createLogger(config.logLevel);
  const organizationId = toId18(config.organizationId);
  const clock = new VirtualClock();
  const ids = new IdFactory();
  // The org runs what a user deploys: fields, outbound messages and flows from the SFDX project.
  const metadata = loadSalesforceMetadata(config.metadataDir ?? DEFAULT_METADATA_DIR);
  const schema = new Schema(metadata.customFields);
  const store = new RecordStore(schema, clock, ids);
  const counters = new ApiCounters();
  const usage = new ApiUsage(clock, config.limits.dailyApiRequests);
  const faults = new FaultInjector();

  const dataFile = config.dataFile === undefined ? undefined : new RecordFile(config.dataFile);
  if (dataFile) {
    let saved: ReturnType<RecordFile['load']>;
    try {
      saved = dataFile.load();
    } catch (error) {
      dataFile.close();
      throw error;
    }
    ids.skipTo(saved.nextId);
    store.restore(saved.records);
    store.onChange((change) => dataFile.save(change, store.nextIdPosition));
  }
  const now = clock.now().toISOString();
  store.restore([
    {
      type: 'Organization',
      id: organizationId,
      values: {
        Id: organizationId,
        Name: config.organizationName,
        InstanceName: 'EMU1',
        IsDeleted: false,
        CreatedDate: now,
        LastModifiedDate: now,
        SystemModstamp: now,
      },
    },
  ]);
  const existingUsers = new Map(
    [...store.scan('User')].map((u) => [String(u.values.get('Username')).toLowerCase(), u.id]),
  );
  const users: EmulatorUser[] = config.users.map((user) => {
    const id =
      existingUsers.get(user.username.toLowerCase()) ??
      store.create(
        'User',
        {
          Username: user.username,
          FirstName: user.firstName,
          LastName: user.lastName,
          Email: user.email,
        },
        null,
      );
    return { id, ...user };
  });
  const authority = createSessionAuthority({
    clock,
    organizationId,
    users,
    sessionTtlSeconds: config.sessionTtlSeconds,
  });
  store.setAccessCheck(
    createAccessCheck({
      restrictedUsers: restrictedUsers(users, metadata.permissionSets),
      organizationWideDefaults: config.organizationWideDefaults,
      get: (id) => store.get(id),
    }),
  );
  const configuredApps: ConnectedApp[] = config.connectedApps.map((app) => ({
    name: app.name,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    ...(app.runAsUsername === undefined ? {} : { runAsUsername: app.runAsUsername }),
    ...(app.scopes === undefined ? {} : { scopes: app.scopes }),
    ...(app.certificateFile === undefined
      ? {}
      : { certificatePem: readFileSync(app.certificateFile, 'utf8') }),
  }));
  // The external client apps the metadata deploys, with the keys Salesforce would generate.
  const apps = [
    ...configuredApps,
    ...externalClientApps(metadata.externalClientApps, config.externalClientApps),
  ];

  const definitions = new OutboundDefinitions(
    configuredDefinitions(metadata.outboundMessages, config.outboundMessages).map(
      (definition): OutboundMessageDefinition => ({
        ...definition,
        actionId: toId18(definition.actionId ?? ids.next('04k')),
      }),
    ),
  );
  const queue = new OutboundQueue(clock, ids);
  store.onChange(counters.countWrite);
  store.onChange(createAutomation(definitions, queue));

  const app = fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 50 * 1024 * 1024,
    // Salesforce answers `/query/?q=` and `/sobjects/Account/` as without the slash, and
    // simple-salesforce always sends it.
    routerOptions: { ignoreTrailingSlash: true },
  });
  registerApiHooks(app, faults, counters, usage);

  // The org learns its own URL only once it listens (port 0 picks one); everything that names
  // it reads this at request time.
  const org = { url: '' };

  const sender = new OutboundSender({
    queue,
    definitions,
    store,
    clock,
    authority,
    faults,
    organizationId,
    get instanceUrl() {
      return org.url;
    },
    policy: {
      initialDelayMs: config.retry.initialDelaySeconds * 1000,
      maxDelayMs: config.retry.maxDelaySeconds * 1000,
      maxAgeMs: config.retry.maxAgeHours * 3_600_000,
      jitterRatio: config.retry.jitterRatio,
    },
    legacySessionId: config.legacySessionId,
    timeoutMs: config.delivery.timeoutSeconds * 1000,
    pollMs: config.delivery.pollMs,
    maxConcurrentDeliveries: config.delivery.maxConcurrent,
    logger,
  });
  clock.onAdvance(() => void sender.tick());

  app.register(oauthRoutes, {
    authority,
    apps,
    organizationId,
    clock,
    get instanceUrl() {
      return org.url;
    },
    get loginUrl() {
      return org.url;
    },
  });
  app.register(restRoutes, {
    store,
    authority,
    cursors: new QueryCursors(ids),
    clock,
    usage,
    organizationId,
    get instanceUrl() {
      return org.url;
    },
  });
  app.register(apexRestRoutes, { store, authority });
  app.register(soapApiRoutes, {
    authority,
    store,
    organizationId,
    clock,
    runSoql: (records, soql, soqlOptions) =>
      runSoql(records, soql, { ...soqlOptions, now: clock.now() }),
    sessionSecondsValid: config.sessionTtlSeconds,
    usage,
    get instanceUrl() {
      return org.url;
    },
  });
  app.register(controlRoutes, {
    clock,
    queue,
    sender,
    faults,
    counters,
    usage,
    authority,
    definitions,
    organizationId,
    get instanceUrl() {
      return org.url;
    },
  });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  org.url = url;
  sender.start();

  const firstUser = users[0];
  if (!firstUser) throw new Error('the emulator needs at least one user');
  const accessToken = authority.issue(firstUser.id).accessToken;
  let closing: Promise<void> | undefined;
  return {
    url,
    organizationId,
    accessToken,
    config,
    store,
    clock,
    authority,
    queue,
    sender,
    definitions,
    faults,
    counters,
    usage,
    users,
    close: () => {
      closing ??= sender
        .stop()
        .then(() => app.close())
        .finally(() => dataFile?.close());
      return closing;
    },
  };
}
