import { basename, dirname } from 'node:path';
import { MetadataError } from './metadata-error.ts';
import { booleanText, optionalText, readMetadataFile, requiredText } from './metadata-xml.ts';

/**
 * An external client app as its metadata declares it: what the emulator needs to issue tokens
 * for it. The consumer key and secret are not here: Salesforce generates them on deploy, and
 * the emulator's config supplies them (`externalClientApps`).
 */
export interface ExternalClientAppMetadata {
  readonly name: string;
  readonly label: string;
  /** OAuth scopes in token form (`api`, `refresh_token`, …). */
  readonly scopes: readonly string[];
  /** The client credentials flow's run-as user, when the flow is enabled. */
  readonly clientCredentialsUser: string | undefined;
  readonly file: string;
}

/** `commaSeparatedOauthScopes` spells scopes as Setup names them; tokens carry these. */
const SCOPE_TOKENS: Readonly<Record<string, string>> = {
  Api: 'api',
  RefreshToken: 'refresh_token',
  Basic: 'id',
  Full: 'full',
  Web: 'web',
  OpenID: 'openid',
  Profile: 'profile',
  Email: 'email',
};

/** The four source files of one app, by their folder under the package directory. */
const PLUGIN_FOLDERS = {
  global: 'extlClntAppGlobalOauthSets',
  settings: 'extlClntAppOauthSettings',
  policies: 'extlClntAppOauthPolicies',
} as const;

/**
 * Reads every `externalClientApps/<Name>.eca-meta.xml` among `files` with its OAuth plugin:
 * the scopes (`*.ecaOauth-meta.xml`), and the client credentials flow, which Salesforce runs
 * only when both the global settings (`*.ecaGlblOauth-meta.xml`) and the admin's policies
 * (`*.ecaOauthPlcy-meta.xml`) enable it, as the policies' run-as user.
 */
export function readExternalClientApps(files: readonly string[]): ExternalClientAppMetadata[] {
  const headers = files.filter(
    (file) => file.endsWith('.eca-meta.xml') && basename(dirname(file)) === 'externalClientApps',
  );
  const plugins = (folder: string, suffix: string, root: string) =>
    files
      .filter((file) => file.endsWith(suffix) && basename(dirname(file)) === folder)
      .map((file) => {
        const element = readMetadataFile(file, root);
        return { file, element, app: requiredText(element, 'externalClientApplication', file) };
      });
  const globals = plugins(
    PLUGIN_FOLDERS.global,
    '.ecaGlblOauth-meta.xml',
    'ExtlClntAppGlobalOauthSettings',
  );
  const settings = plugins(
    PLUGIN_FOLDERS.settings,
    '.ecaOauth-meta.xml',
    'ExtlClntAppOauthSettings',
  );
  const policies = plugins(
    PLUGIN_FOLDERS.policies,
    '.ecaOauthPlcy-meta.xml',
    'ExtlClntAppOauthConfigurablePolicies',
  );
  const names = headers.map((file) => basename(file, '.eca-meta.xml'));
  for (const plugin of [...globals, ...settings, ...policies]) {
    if (!names.includes(plugin.app)) {
      throw new MetadataError(
        `${plugin.file}: externalClientApplication ${plugin.app} names no app in externalClientApps/ (${names.join(', ') || 'none'})`,
      );
    }
  }

  return headers.map((file, index) => {
    const name = names[index] ?? '';
    const header = readMetadataFile(file, 'ExternalClientApplication');
    const one = <T extends { app: string; file: string }>(found: T[], what: string) => {
      const mine = found.filter((plugin) => plugin.app === name);
      if (mine.length > 1) {
        throw new MetadataError(`${file}: ${name} has ${mine.length} ${what} files; it takes one`);
      }
      return mine[0];
    };
    const setting = one(settings, 'OAuth settings');
    const global = one(globals, 'global OAuth settings');
    const policy = one(policies, 'OAuth policies');
    const scopes = (setting && optionalText(setting.element, 'commaSeparatedOauthScopes')) ?? '';
    const clientCredentials =
      global !== undefined &&
      policy !== undefined &&
      booleanText(global.element, 'isClientCredentialsFlowEnabled', global.file) &&
      booleanText(policy.element, 'isClientCredentialsFlowEnabled', policy.file);
    return {
      name,
      label: optionalText(header, 'label') ?? name,
      scopes: scopes
        .split(',')
        .map((scope) => scope.trim())
        .filter((scope) => scope !== '')
        .map((scope) => {
          const token = SCOPE_TOKENS[scope];
          if (token === undefined) {
            throw new MetadataError(
              `${setting?.file ?? file}: OAuth scope ${scope} is not one the emulator knows (${Object.keys(SCOPE_TOKENS).join(', ')})`,
            );
          }
          return token;
        }),
      clientCredentialsUser:
        clientCredentials && policy
          ? requiredText(policy.element, 'clientCredentialsFlowUser', policy.file)
          : undefined,
      file,
    };
  });
}
