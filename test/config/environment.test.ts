import { describe, expect, it } from 'vitest';
import { EMULATOR_ENV_BINDINGS, ENV_BINDINGS, loadConfig } from '../../src/config/index.ts';

/**
 * Every SFRELAY_* variable operators may have set, written out once by hand. The bindings are
 * derived from the schema; this list is what keeps a renamed or moved setting from silently
 * dropping a variable someone's deployment still sets. Add a line when a setting is added.
 */
const RELAY_VARIABLES = [
  'SFRELAY_HOST',
  'SFRELAY_PORT',
  'SFRELAY_DB',
  'SFRELAY_MIGRATE_ON_START',
  'SFRELAY_ROLE',
  'SFRELAY_ALLOWED_ORGANIZATION_IDS',
  'SFRELAY_ENDPOINT_TOKEN',
  'SFRELAY_ALLOWED_SOURCE_IPS',
  'SFRELAY_TRUST_PROXY',
  'SFRELAY_WSDL',
  'SFRELAY_CONTRACT_UNKNOWN_FIELDS',
  'SFRELAY_CONTRACT_ON_MISMATCH',
  'SFRELAY_RETENTION_DONE_DAYS',
  'SFRELAY_MAX_BODY_BYTES',
  'SFRELAY_MAX_DEPTH',
  'SFRELAY_MAX_ATTRIBUTES',
  'SFRELAY_REQUEST_TIMEOUT_SECONDS',
  'SFRELAY_LIMITS_MAX_ELEMENTS',
  'SFRELAY_LIMITS_MAX_CONNECTIONS',
  'SFRELAY_LIMITS_MAX_REQUESTS_PER_SOCKET',
  'SFRELAY_LIMITS_KEEP_ALIVE_TIMEOUT_SECONDS',
  'SFRELAY_LIMITS_MAX_CONCURRENT_PER_IP',
  'SFRELAY_TLS_CERT_FILE',
  'SFRELAY_TLS_KEY_FILE',
  'SFRELAY_TLS_CA_FILE',
  'SFRELAY_TLS_REQUIRE_CLIENT_CERT',
  'SFRELAY_TLS_CLIENT_CERT_SUBJECTS',
  'SFRELAY_TLS_CLIENT_CERT_FINGERPRINTS',
  'SFRELAY_TLS_CLIENT_CERT_HEADER',
  'SFRELAY_LOG_LEVEL',
  'SFRELAY_DASHBOARD_USERNAME',
  'SFRELAY_DASHBOARD_PASSWORD',
  'SFRELAY_DASHBOARD_TOKEN',
  'SFRELAY_DASHBOARD_OPEN',
  'SFRELAY_DASHBOARD_MAX_EVENT_STREAMS',
  'SFRELAY_SALESFORCE_API_VERSION',
  'SFRELAY_SALESFORCE_CALLBACK',
  'SFRELAY_SALESFORCE_USE_MESSAGE_SESSION_ID',
  'SFRELAY_SALESFORCE_OAUTH_FLOW',
  'SFRELAY_SALESFORCE_LOGIN_URL',
  'SFRELAY_SALESFORCE_CLIENT_ID',
  'SFRELAY_SALESFORCE_CLIENT_SECRET',
  'SFRELAY_SALESFORCE_USERNAME',
  'SFRELAY_SALESFORCE_PRIVATE_KEY_FILE',
  'SFRELAY_SALESFORCE_PRIVATE_KEY_ENV',
  'SFRELAY_SALESFORCE_TIMEOUT_MS',
  'SFRELAY_ERP_URL',
  'SFRELAY_ERP_TIMEOUT_MS',
  'SFRELAY_WORKER_CONCURRENCY',
  'SFRELAY_WORKER_LEASE_SECONDS',
  'SFRELAY_WORKER_POLL_MS',
  'SFRELAY_WORKER_MAX_ATTEMPTS',
  'SFRELAY_WORKER_MAX_AGE_HOURS',
  'SFRELAY_WORKER_BACKOFF_INITIAL_MS',
  'SFRELAY_WORKER_BACKOFF_MAX_MS',
];

const EMULATOR_VARIABLES = [
  'SFRELAY_EMULATOR_HOST',
  'SFRELAY_EMULATOR_PORT',
  'SFRELAY_EMULATOR_ORGANIZATION_ID',
  'SFRELAY_EMULATOR_ORGANIZATION_NAME',
  'SFRELAY_EMULATOR_SESSION_TTL_SECONDS',
  'SFRELAY_EMULATOR_DATA_FILE',
  'SFRELAY_EMULATOR_LEGACY_SESSION_ID',
  'SFRELAY_EMULATOR_METADATA_DIR',
  'SFRELAY_EMULATOR_RETRY_INITIAL_DELAY_SECONDS',
  'SFRELAY_EMULATOR_RETRY_MAX_DELAY_SECONDS',
  'SFRELAY_EMULATOR_RETRY_MAX_AGE_HOURS',
  'SFRELAY_EMULATOR_RETRY_JITTER_RATIO',
  'SFRELAY_EMULATOR_DELIVERY_TIMEOUT_SECONDS',
  'SFRELAY_EMULATOR_DELIVERY_POLL_MS',
  'SFRELAY_EMULATOR_DELIVERY_MAX_CONCURRENT',
  'SFRELAY_EMULATOR_LIMITS_DAILY_API_REQUESTS',
  'SFRELAY_EMULATOR_LOG_LEVEL',
];

describe('SFRELAY_* variables', () => {
  it('the relay reads exactly the variables it always did', () => {
    expect(ENV_BINDINGS.map((binding) => binding.variable).sort()).toEqual(
      [...RELAY_VARIABLES].sort(),
    );
  });

  it('the emulator reads exactly the variables it always did', () => {
    expect(EMULATOR_ENV_BINDINGS.map((binding) => binding.variable).sort()).toEqual(
      [...EMULATOR_VARIABLES].sort(),
    );
  });

  it('no two settings share a variable', () => {
    const all = [...ENV_BINDINGS, ...EMULATOR_ENV_BINDINGS].map((binding) => binding.variable);
    expect(new Set(all).size).toBe(all.length);
  });

  it('a short documented name sets the nested setting it stands for', () => {
    const config = loadConfig({
      env: {
        SFRELAY_MAX_DEPTH: '12',
        SFRELAY_SALESFORCE_OAUTH_FLOW: 'jwt_bearer',
        SFRELAY_SALESFORCE_LOGIN_URL: 'https://login.example.test',
        SFRELAY_SALESFORCE_CLIENT_ID: 'client',
        SFRELAY_SALESFORCE_USERNAME: 'integration@example.test',
        SFRELAY_SALESFORCE_PRIVATE_KEY_FILE: 'key.pem',
      },
    });
    expect(config.limits.maxDepth).toBe(12);
    expect(config.salesforce.oauth).toMatchObject({
      loginUrl: 'https://login.example.test',
      clientId: 'client',
      username: 'integration@example.test',
      privateKeyFile: 'key.pem',
    });
  });
});
