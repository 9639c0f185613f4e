import { relayConfigSchema, type EmulatorConfigInput, type RelayConfig } from '../config/index.ts';
import { seedCatalogue, type RunningEmulator } from '../emulator/index.ts';

const CLIENT_ID = 'sf-relay-demo';
const CLIENT_SECRET = 'sf-relay-demo-secret';
const USER = 'integration@sf-relay.example';
const DEFINITION = 'Opportunity_Closed_Won';

/**
 * The Salesforce side as salesforce-metadata/ deploys it: the integration user holds only the
 * SF_Relay_Integration permission set, in an org whose Opportunities are private, and the relay
 * calls back through the SF_Relay external client app. The relay's URL is known once it
 * listens; `closeOpportunities` repoints the definition.
 */
export function demoEmulatorConfig(): EmulatorConfigInput {
  return {
    port: 0,
    users: [
      { username: USER, password: 'demo-password', permissionSets: ['SF_Relay_Integration'] },
    ],
    connectedApps: [],
    externalClientApps: [{ name: 'SF_Relay', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }],
    outboundMessages: [{ name: DEFINITION, endpointUrl: 'http://127.0.0.1:9/not-yet' }],
    delivery: { pollMs: 50, timeoutSeconds: 60, maxConcurrent: 4 },
  };
}

export interface DemoRelaySettings {
  readonly port: number;
  readonly db: string;
  readonly emulatorUrl: string;
  readonly organizationId: string;
  readonly erpUrl: string;
}

/** The relay of the demo: every role in one process, OAuth client credentials into the emulator. */
export function demoRelayConfig(settings: DemoRelaySettings): RelayConfig {
  return relayConfigSchema.parse({
    port: settings.port,
    db: settings.db,
    role: 'all',
    logLevel: 'warn',
    // A demo on 127.0.0.1 for the person running it: the dashboard needs no login.
    dashboard: { open: true },
    allowedOrganizationIds: [settings.organizationId],
    salesforce: {
      oauth: {
        flow: 'client_credentials',
        loginUrl: settings.emulatorUrl,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
      },
    },
    erp: { url: settings.erpUrl },
    worker: {
      concurrency: 8,
      pollMs: 100,
      leaseSeconds: 60,
      backoffInitialMs: 200,
      backoffMaxMs: 5000,
    },
  });
}

/** Creates `count` open Opportunities, each with an Account and one line item; returns their ids. */
export function seedOpportunities(emulator: RunningEmulator, count: number): string[] {
  const { store } = emulator;
  const { pricebookId, entryId } = seedCatalogue(store);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const accountId = store.create('Account', { Name: `Customer ${i + 1}` }, null);
    const id = store.create(
      'Opportunity',
      {
        Name: `Fibre for customer ${i + 1}`,
        AccountId: accountId,
        Pricebook2Id: pricebookId,
        StageName: 'Negotiation/Review',
        CloseDate: '2026-12-15',
      },
      null,
    );
    store.create(
      'OpportunityLineItem',
      { OpportunityId: id, PricebookEntryId: entryId, Quantity: 1 + (i % 3) },
      null,
    );
    ids.push(id);
  }
  return ids;
}

export interface Closing {
  /** Resolves once every Opportunity is closed (at the rate, if one was given). */
  readonly closed: Promise<void>;
  /** Order-number write-backs seen so far (first ones and changes). */
  callbacks(): number;
  /** Close → order-number latency of each Opportunity in close order; null while it has none. */
  latenciesInCloseOrderMs(): (number | null)[];
  /** Stops watching the record changes. */
  stop(): void;
}

/**
 * Sends the outbound messages to `endpointUrl` and closes the Opportunities (evenly spaced at
 * `closesPerSecond`, or all at once), timing each from its close to the first order number
 * written on it, as the org sees the callback land.
 */
export function closeOpportunities(
  emulator: RunningEmulator,
  ids: readonly string[],
  endpointUrl: string,
  closesPerSecond: number | undefined,
): Closing {
  const { store } = emulator;
  emulator.definitions.setEndpoint(DEFINITION, endpointUrl);
  const closedAt = new Map<string, number>();
  const latencyById = new Map<string, number>();
  let callbacks = 0;
  const unsubscribe = store.onChange((change) => {
    const before = change.before?.values.get('Order_Number__c') ?? null;
    const after = change.after.values.get('Order_Number__c') ?? null;
    if (change.kind !== 'update' || after === null || before === after) return;
    const started = closedAt.get(change.after.id);
    if (started === undefined) return;
    callbacks++;
    if (before === null) latencyById.set(change.after.id, performance.now() - started);
  });
  const closed = (async () => {
    const closingStarted = performance.now();
    for (const [index, id] of ids.entries()) {
      if (closesPerSecond !== undefined) {
        const wait = closingStarted + (index * 1000) / closesPerSecond - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      closedAt.set(id, performance.now());
      store.update('Opportunity', id, { StageName: 'Closed Won' }, null);
    }
  })();
  return {
    closed,
    callbacks: () => callbacks,
    latenciesInCloseOrderMs: () => ids.map((id) => latencyById.get(id) ?? null),
    stop: unsubscribe,
  };
}
