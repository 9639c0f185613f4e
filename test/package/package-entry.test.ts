import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// By its name, as a user of the package imports it: Node resolves the self-reference through
// package.json "exports" to the compiled entry, so this tests what ships, not src/.
import * as sfRelay from 'sf-relay';
import {
  CodegenError,
  ConfigError,
  ErpKeyConflictError,
  ErpRejectedError,
  ErpUnavailableError,
  HttpErpAdapter,
  InboxArgumentError,
  InboxRowInvalidError,
  InboxSchemaTooNewError,
  InboxUnavailableError,
  NotificationConflictError,
  SalesforceAuthError,
  SalesforcePermanentError,
  SalesforceRetryableError,
  SessionExpiredError,
  SfRelayError,
  createLogger,
  generateFromWsdl,
  loadConfig,
  loadEmulatorConfig,
  migrateInbox,
  openInbox,
  relayConfigSchema,
  startEmulator,
  startErp,
  startRelay,
  type OutboundMessage,
  type RunningEmulator,
  type RunningErp,
  type RunningRelay,
} from 'sf-relay';
import { ConfigError as SourceConfigError } from '../../src/config/index.ts';
import { REPO_ROOT } from '../../src/process/sf-relay-bin.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';
import { waitFor } from '../support/wait-for.ts';

const SURFACE = [
  'CodegenError',
  'ConfigError',
  'ErpKeyConflictError',
  'ErpRejectedError',
  'ErpUnavailableError',
  'HttpErpAdapter',
  'InboxArgumentError',
  'InboxRowInvalidError',
  'InboxSchemaTooNewError',
  'InboxUnavailableError',
  'NotificationConflictError',
  'SalesforceAuthError',
  'SalesforcePermanentError',
  'SalesforceRetryableError',
  'SessionExpiredError',
  'SfRelayError',
  'createLogger',
  'generateFromWsdl',
  'loadConfig',
  'loadEmulatorConfig',
  'migrateInbox',
  'openInbox',
  'relayConfigSchema',
  'startEmulator',
  'startErp',
  'startRelay',
];

const quiet = createLogger('silent');
let dir: TempDir | undefined;
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  dir?.remove();
  dir = undefined;
});

describe("import … from 'sf-relay'", () => {
  it('resolves to the compiled entry and exports exactly the documented surface', () => {
    expect(createRequire(import.meta.url).resolve('sf-relay')).toBe(
      join(REPO_ROOT, 'dist', 'index.js'),
    );
    expect(Object.keys(sfRelay).sort()).toEqual([...SURFACE].sort());
    // The compiled classes, not the sources vitest would otherwise load.
    expect(ConfigError).not.toBe(SourceConfigError);
  });

  it('runs the whole loop: emulator, reference ERP and relay started from the library', async () => {
    dir = makeTempDir('sf-relay-package-');
    const erp: RunningErp = await startErp({ port: 0, dbPath: dir.file('erp.db'), logger: quiet });
    stops.push(() => erp.close());
    const emulator: RunningEmulator = await startEmulator({
      logger: quiet,
      config: {
        ...loadEmulatorConfig({ env: {} }),
        port: 0,
        delivery: { pollMs: 20, timeoutSeconds: 10, maxConcurrent: 4 },
        outboundMessages: [
          { name: 'Opportunity_Closed_Won', endpointUrl: 'http://127.0.0.1:9/not-yet' },
        ],
      },
    });
    stops.push(() => emulator.close());
    const db = `sqlite:${dir.file('relay.db')}`;
    const config = loadConfig({
      env: {},
      overrides: {
        port: 0,
        db,
        allowedOrganizationIds: [emulator.organizationId],
        salesforce: {
          oauth: {
            flow: 'client_credentials',
            loginUrl: emulator.url,
            clientId: 'sf-relay-emulator-client',
            clientSecret: 'sf-relay-emulator-secret',
          },
        },
        erp: { url: erp.url },
        worker: { pollMs: 20, backoffInitialMs: 20, backoffMaxMs: 200 },
      },
    });
    const relay: RunningRelay = await startRelay(config, quiet);
    stops.push(() => relay.close());
    emulator.definitions.setEndpoint('Opportunity_Closed_Won', `${relay.url}/soap/outbound`);

    const { store } = emulator;
    const accountId = store.create('Account', { Name: 'Acme Telecom' }, null);
    const id = store.create(
      'Opportunity',
      { Name: 'Fibre', AccountId: accountId, StageName: 'Prospecting', CloseDate: '2026-12-15' },
      null,
    );
    store.update('Opportunity', id, { StageName: 'Closed Won' }, null);
    const orderNumber = await waitFor(
      () => store.get(id)?.values.get('Order_Number__c'),
      'the order number written back to the Opportunity',
    );
    expect(erp.orders({ opportunityId: id }).map((order) => order.orderNumber)).toEqual([
      orderNumber,
    ]);
    expect(
      (await new HttpErpAdapter({ baseUrl: erp.url, timeoutMs: 5000 }).findOrderFor(id))
        ?.orderNumber,
    ).toBe(orderNumber);

    // The inbox, opened by a separate tool while the relay runs.
    const inbox = await openInbox(db, { readonly: true });
    try {
      const [message] = await inbox.list();
      expect(message?.state).toBe('done');
    } finally {
      await inbox.close();
    }
  });

  it('migrates an inbox and generates types from a WSDL', async () => {
    dir = makeTempDir('sf-relay-package-');
    const migrated = await migrateInbox(`sqlite:${dir.file('fresh.db')}`);
    expect(migrated.fromVersion).toBe(0);
    expect(migrated.applied.length).toBeGreaterThan(0);
    const generated = generateFromWsdl({
      wsdlPath: join(REPO_ROOT, 'test/fixtures/wsdl/account.wsdl'),
      outDir: dir.file('generated'),
    });
    expect(generated.objectType).toBe('Account');
    const parsedShape: Pick<OutboundMessage, 'notifications'> = { notifications: [] };
    expect(parsedShape.notifications).toHaveLength(0);
  });

  it('throws its errors as classes with a stable code, all under SfRelayError', async () => {
    const caught = async (work: () => unknown): Promise<unknown> => {
      try {
        await work();
      } catch (error) {
        return error;
      }
      throw new Error('expected a throw');
    };
    const configError = await caught(() => loadConfig({ env: {}, overrides: { port: -1 } }));
    expect(configError).toBeInstanceOf(ConfigError);
    expect(configError).toBeInstanceOf(SfRelayError);
    expect(() => relayConfigSchema.parse({ port: -1 })).toThrow();
    expect(await caught(() => openInbox('nosuchstore:x'))).toBeInstanceOf(InboxArgumentError);
    expect(
      await caught(() => generateFromWsdl({ wsdlPath: '/nonexistent.wsdl', outDir: '/tmp' })),
    ).toBeInstanceOf(CodegenError);
    expect(
      await caught(() =>
        new HttpErpAdapter({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 2000 }).findOrderFor('x'),
      ),
    ).toBeInstanceOf(ErpUnavailableError);

    // The rest are raised by the worker and the stores; a caller branches on them by type.
    const classes = [
      ConfigError,
      CodegenError,
      ErpKeyConflictError,
      ErpRejectedError,
      ErpUnavailableError,
      InboxArgumentError,
      InboxRowInvalidError,
      InboxSchemaTooNewError,
      InboxUnavailableError,
      NotificationConflictError,
      SalesforceAuthError,
      SalesforcePermanentError,
      SalesforceRetryableError,
      SessionExpiredError,
    ];
    for (const ErrorClass of classes) {
      expect(ErrorClass.prototype).toBeInstanceOf(SfRelayError);
    }
  });
});
