export { ConfigError } from './errors.ts';
export { loadConfig, loadEmulatorConfig, type LoadConfigOptions } from './load-config.ts';
export {
  relayConfigSchema,
  oauthConfigSchema,
  salesforceConfigSchema,
  erpConfigSchema,
  workerConfigSchema,
  DEFAULT_DB_URL,
  ROLES,
  type RelayConfig,
  type RelayConfigInput,
  type OAuthConfig,
  type SalesforceConfig,
} from './schema.ts';
export { ENV_BINDINGS, EMULATOR_ENV_BINDINGS, type EnvBinding } from './environment.ts';
export { renderStarterYaml, renderEnvExample, type StarterOptions } from './starter-files.ts';
export { salesforceIdProblem } from './salesforce-id-setting.ts';
export {
  emulatorConfigSchema,
  DEFAULT_EMULATOR_USER,
  type EmulatorConfig,
  type EmulatorConfigInput,
} from './emulator-schema.ts';
export { redactUrlCredentials } from './redact-url.ts';
export { CONFIG_ERRORS } from './error-catalogue.ts';
