import { readFileSync } from 'node:fs';
import type { ExternalClientAppMetadata } from '../metadata/index.ts';
import { MetadataError } from '../metadata/index.ts';
import type { ConnectedApp } from './connected-app.ts';

export interface ExternalClientAppCredentials {
  readonly name: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly certificateFile?: string | undefined;
}

/** The shipped SF_Relay app's credentials in the emulator, unless the config gives others. */
export const DEFAULT_EXTERNAL_CLIENT_APP: ExternalClientAppCredentials = {
  name: 'SF_Relay',
  clientId: 'sf-relay-emulator-eca',
  clientSecret: 'sf-relay-emulator-eca-secret',
};

/**
 * The metadata's external client apps as OAuth clients: scopes and the client credentials
 * flow's run-as user from the metadata, consumer key and secret from the config (Salesforce
 * generates those on deploy). An app without credentials issues no tokens, as an app whose
 * key nobody copied; credentials for an app the metadata lacks are a mistake, named.
 */
export function externalClientApps(
  apps: readonly ExternalClientAppMetadata[],
  configured: readonly ExternalClientAppCredentials[] | undefined,
): ConnectedApp[] {
  const credentials =
    configured ??
    [DEFAULT_EXTERNAL_CLIENT_APP].filter((credential) =>
      apps.some((app) => app.name === credential.name),
    );
  return credentials.map((credential) => {
    const app = apps.find((candidate) => candidate.name === credential.name);
    if (!app) {
      throw new MetadataError(
        `externalClientApps: the metadata has no external client app ${credential.name} (it has ${apps.map((candidate) => candidate.name).join(', ') || 'none'})`,
      );
    }
    return {
      name: app.name,
      clientId: credential.clientId,
      clientSecret: credential.clientSecret,
      scopes: app.scopes,
      ...(app.clientCredentialsUser === undefined
        ? {}
        : { runAsUsername: app.clientCredentialsUser }),
      ...(credential.certificateFile === undefined
        ? {}
        : { certificatePem: readFileSync(credential.certificateFile, 'utf8') }),
    };
  });
}
