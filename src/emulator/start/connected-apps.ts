import { readFileSync } from 'node:fs';
import type { EmulatorConfig } from '../../config/index.ts';
import { externalClientApps, type ConnectedApp } from '../auth/index.ts';
import type { SalesforceMetadata } from '../metadata/index.ts';

/**
 * The apps that may obtain tokens: the configured connected apps, then the external client
 * apps the metadata deploys, with the keys Salesforce would generate.
 */
export function connectedAppsOf(
  config: EmulatorConfig,
  metadata: SalesforceMetadata,
): ConnectedApp[] {
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
  return [
    ...configuredApps,
    ...externalClientApps(metadata.externalClientApps, config.externalClientApps),
  ];
}
