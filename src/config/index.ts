export { ConfigError } from './errors.ts';
export { loadConfig, type LoadConfigOptions } from './load-config.ts';
export {
  relayConfigSchema,
  DEFAULT_DB_URL,
  ROLES,
  type RelayConfig,
  type RelayConfigInput,
} from './schema.ts';
export { ENV_BINDINGS } from './environment.ts';
