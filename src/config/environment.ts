/**
 * The `SFRELAY_*` variables and the config key each sets. Listed rather than derived, so the
 * README table and this list are the same thing and a variable never appears by accident.
 */
type ValueKind = 'string' | 'number' | 'boolean' | 'list';

export interface EnvBinding {
  readonly variable: string;
  readonly path: readonly string[];
  readonly kind: ValueKind;
}

export const ENV_BINDINGS: readonly EnvBinding[] = [
  { variable: 'SFRELAY_HOST', path: ['host'], kind: 'string' },
  { variable: 'SFRELAY_PORT', path: ['port'], kind: 'number' },
  { variable: 'SFRELAY_DB', path: ['db'], kind: 'string' },
  { variable: 'SFRELAY_MIGRATE_ON_START', path: ['migrateOnStart'], kind: 'boolean' },
  { variable: 'SFRELAY_ROLE', path: ['role'], kind: 'string' },
  { variable: 'SFRELAY_ALLOWED_ORGANIZATION_IDS', path: ['allowedOrganizationIds'], kind: 'list' },
  { variable: 'SFRELAY_ALLOWED_INSTANCE_HOSTS', path: ['allowedInstanceHosts'], kind: 'list' },
  { variable: 'SFRELAY_ENDPOINT_TOKEN', path: ['endpointToken'], kind: 'string' },
  { variable: 'SFRELAY_WSDL', path: ['wsdl'], kind: 'string' },
  {
    variable: 'SFRELAY_CONTRACT_UNKNOWN_FIELDS',
    path: ['contract', 'unknownFields'],
    kind: 'string',
  },
  { variable: 'SFRELAY_CONTRACT_ON_MISMATCH', path: ['contract', 'onMismatch'], kind: 'string' },
  { variable: 'SFRELAY_RETENTION_DONE_DAYS', path: ['retention', 'doneDays'], kind: 'number' },
  { variable: 'SFRELAY_MAX_BODY_BYTES', path: ['limits', 'maxBodyBytes'], kind: 'number' },
  { variable: 'SFRELAY_MAX_DEPTH', path: ['limits', 'maxDepth'], kind: 'number' },
  { variable: 'SFRELAY_MAX_ATTRIBUTES', path: ['limits', 'maxAttributes'], kind: 'number' },
  { variable: 'SFRELAY_TLS_CERT_FILE', path: ['tls', 'certFile'], kind: 'string' },
  { variable: 'SFRELAY_TLS_KEY_FILE', path: ['tls', 'keyFile'], kind: 'string' },
  { variable: 'SFRELAY_TLS_CA_FILE', path: ['tls', 'caFile'], kind: 'string' },
  {
    variable: 'SFRELAY_TLS_REQUIRE_CLIENT_CERT',
    path: ['tls', 'requireClientCert'],
    kind: 'boolean',
  },
  { variable: 'SFRELAY_LOG_LEVEL', path: ['logLevel'], kind: 'string' },
  {
    variable: 'SFRELAY_SALESFORCE_OAUTH_FLOW',
    path: ['salesforce', 'oauth', 'flow'],
    kind: 'string',
  },
  {
    variable: 'SFRELAY_SALESFORCE_LOGIN_URL',
    path: ['salesforce', 'oauth', 'loginUrl'],
    kind: 'string',
  },
  {
    variable: 'SFRELAY_SALESFORCE_CLIENT_ID',
    path: ['salesforce', 'oauth', 'clientId'],
    kind: 'string',
  },
  {
    variable: 'SFRELAY_SALESFORCE_CLIENT_SECRET',
    path: ['salesforce', 'oauth', 'clientSecret'],
    kind: 'string',
  },
  {
    variable: 'SFRELAY_SALESFORCE_USERNAME',
    path: ['salesforce', 'oauth', 'username'],
    kind: 'string',
  },
  {
    variable: 'SFRELAY_SALESFORCE_PRIVATE_KEY_FILE',
    path: ['salesforce', 'oauth', 'privateKeyFile'],
    kind: 'string',
  },
  { variable: 'SFRELAY_SALESFORCE_CALLBACK', path: ['salesforce', 'callback'], kind: 'string' },
  {
    variable: 'SFRELAY_SALESFORCE_API_VERSION',
    path: ['salesforce', 'apiVersion'],
    kind: 'string',
  },
  {
    variable: 'SFRELAY_SALESFORCE_USE_MESSAGE_SESSION_ID',
    path: ['salesforce', 'useMessageSessionId'],
    kind: 'boolean',
  },
  { variable: 'SFRELAY_DASHBOARD_USERNAME', path: ['dashboard', 'username'], kind: 'string' },
  { variable: 'SFRELAY_DASHBOARD_PASSWORD', path: ['dashboard', 'password'], kind: 'string' },
  { variable: 'SFRELAY_DASHBOARD_TOKEN', path: ['dashboard', 'token'], kind: 'string' },
  { variable: 'SFRELAY_ERP_URL', path: ['erp', 'url'], kind: 'string' },
  { variable: 'SFRELAY_WORKER_CONCURRENCY', path: ['worker', 'concurrency'], kind: 'number' },
];

export const EMULATOR_ENV_BINDINGS: readonly EnvBinding[] = [
  { variable: 'SFRELAY_EMULATOR_HOST', path: ['host'], kind: 'string' },
  { variable: 'SFRELAY_EMULATOR_PORT', path: ['port'], kind: 'number' },
  { variable: 'SFRELAY_EMULATOR_DATA_FILE', path: ['dataFile'], kind: 'string' },
  { variable: 'SFRELAY_EMULATOR_METADATA_DIR', path: ['metadataDir'], kind: 'string' },
  { variable: 'SFRELAY_EMULATOR_LEGACY_SESSION_ID', path: ['legacySessionId'], kind: 'boolean' },
  { variable: 'SFRELAY_EMULATOR_SESSION_TTL_SECONDS', path: ['sessionTtlSeconds'], kind: 'number' },
  { variable: 'SFRELAY_EMULATOR_LOG_LEVEL', path: ['logLevel'], kind: 'string' },
];

/** Keeps the raw text when it does not convert, so that the schema reports it with its key. */
export function convertEnvValue(raw: string, kind: ValueKind): unknown {
  switch (kind) {
    case 'string':
      return raw;
    case 'number': {
      const value = Number(raw);
      return raw.trim() === '' || Number.isNaN(value) ? raw : value;
    }
    case 'boolean':
      if (/^(true|1|yes)$/i.test(raw)) return true;
      if (/^(false|0|no)$/i.test(raw)) return false;
      return raw;
    case 'list':
      return raw
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
  }
}
