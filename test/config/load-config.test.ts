import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { makeTempDir, type TempDir } from '../support/temp-dir.ts';

let dir: TempDir | undefined;
afterEach(() => {
  dir?.remove();
  dir = undefined;
});

function file(name: string, text: string): string {
  dir ??= makeTempDir();
  const path = dir.file(name);
  writeFileSync(path, text);
  return path;
}

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has defaults that run on one machine', () => {
    const config = loadConfig();
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      db: 'sqlite:./data/relay.db',
      role: 'all',
      allowedOrganizationIds: [],
      limits: { maxBodyBytes: 2 * 1024 * 1024, maxDepth: 32, maxAttributes: 64 },
      logLevel: 'info',
    });
    expect(config.endpointToken).toBeUndefined();
  });

  it('reads YAML and JSON files', () => {
    const yaml = file(
      'relay.yaml',
      'port: 9000\nallowedOrganizationIds:\n  - 00D5g000004XyZ1\nlimits:\n  maxDepth: 40\n',
    );
    expect(loadConfig({ file: yaml })).toMatchObject({
      port: 9000,
      allowedOrganizationIds: ['00D5g000004XyZ1'],
      limits: { maxDepth: 40, maxBodyBytes: 2 * 1024 * 1024 },
    });
    const json = file('relay.json', JSON.stringify({ db: 'sqlite:/tmp/x.db' }));
    expect(loadConfig({ file: json }).db).toBe('sqlite:/tmp/x.db');
  });

  it('lets SFRELAY_* variables override the file and flags override both', () => {
    const yaml = file('relay.yaml', 'port: 9000\nhost: 0.0.0.0\n');
    const env = {
      SFRELAY_PORT: '9100',
      SFRELAY_ALLOWED_ORGANIZATION_IDS: '00D5g000004XyZ1, 00D000000000001EAA',
      SFRELAY_MAX_DEPTH: '50',
      SFRELAY_TLS_CERT_FILE: 'c.pem',
      SFRELAY_TLS_KEY_FILE: 'k.pem',
      SFRELAY_TLS_REQUIRE_CLIENT_CERT: 'false',
    };
    const config = loadConfig({ file: yaml, env, overrides: { port: 9200 } });
    expect(config.port).toBe(9200);
    expect(config.host).toBe('0.0.0.0');
    expect(config.allowedOrganizationIds).toEqual(['00D5g000004XyZ1', '00D000000000001EAA']);
    expect(config.limits.maxDepth).toBe(50);
    expect(config.tls).toEqual({ certFile: 'c.pem', keyFile: 'k.pem', requireClientCert: false });
  });

  it('names the key, the problem and the environment variable that set it', () => {
    const error = configError(() => loadConfig({ env: { SFRELAY_PORT: 'eighty' } }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/port: .*number/);
    expect(error.message).toContain('SFRELAY_PORT');
  });

  it('says what a variable must hold in its own terms, for every bad variable at once', () => {
    const error = configError(() =>
      loadConfig({
        env: {
          SFRELAY_PORT: 'abc',
          SFRELAY_MIGRATE_ON_START: 'maybe',
          SFRELAY_ROLE: 'both',
          SFRELAY_WORKER_CONCURRENCY: '0',
        },
      }),
    );
    expect(error.message).toContain('SFRELAY_PORT must be a port number (0 to 65535), got "abc"');
    expect(error.message).toContain('SFRELAY_MIGRATE_ON_START must be true or false, got "maybe"');
    expect(error.message).toContain(
      'SFRELAY_ROLE must be one of all, listener, worker, got "both"',
    );
    expect(error.message).toContain(
      'SFRELAY_WORKER_CONCURRENCY must be a whole number from 1 to 256, got "0"',
    );
    expect(error.message).not.toContain('expected number');
  });

  it('gives every setting of the schema a variable, keeping the documented short names', () => {
    const config = loadConfig({
      env: {
        SFRELAY_WORKER_POLL_MS: '75',
        SFRELAY_ERP_TIMEOUT_MS: '2000',
        SFRELAY_MAX_BODY_BYTES: '4096',
        SFRELAY_REQUEST_TIMEOUT_SECONDS: '30',
      },
    });
    expect(config.worker.pollMs).toBe(75);
    expect(config.erp.timeoutMs).toBe(2000);
    expect(config.limits.maxBodyBytes).toBe(4096);
    expect(config.limits.requestTimeoutSeconds).toBe(30);
  });

  it('says what replaced a removed setting instead of calling it unknown', () => {
    const yaml = file('relay.yaml', "allowedInstanceHosts: ['*.salesforce.com']\n");
    const error = configError(() => loadConfig({ file: yaml }));
    expect(error.message).toMatch(
      /allowedInstanceHosts: removed: .*salesforce\.orgs\[\]\.instanceHost.*delete this setting/,
    );
  });

  it('suggests the closest known key for a typo, at any depth', () => {
    const yaml = file(
      'relay.yaml',
      'allowedOrganisationIds: [00D5g000004XyZ1]\nlimits:\n  maxDepht: 10\nsalesforce:\n  oauht: {}\n',
    );
    const error = configError(() => loadConfig({ file: yaml }));
    expect(error.message).toContain(
      'allowedOrganisationIds: unknown setting: did you mean `allowedOrganizationIds`?',
    );
    expect(error.message).toContain('limits.maxDepht: unknown setting: did you mean `maxDepth`?');
    expect(error.message).toContain('salesforce.oauht: unknown setting: did you mean `oauth`?');
  });

  it('lists the known keys when nothing is close to an unknown one', () => {
    const error = configError(() => loadConfig({ overrides: { erp: { zzzzzzzz: 1 } } }));
    expect(error.message).toContain('erp.zzzzzzzz: unknown setting (known here: url, timeoutMs)');
  });

  it('refuses an org id whose checksum suffix is wrong, naming the right one', () => {
    const error = configError(() =>
      loadConfig({ env: { SFRELAY_ALLOWED_ORGANIZATION_IDS: '00D5g000004XyZ1EAC' } }),
    );
    expect(error.message).toContain('allowedOrganizationIds.0');
    expect(error.message).toContain('the suffix of 00D5g000004XyZ1 is EAK');
    expect(error.message).toContain('use 00D5g000004XyZ1EAK');
    expect(error.message).toContain('SFRELAY_ALLOWED_ORGANIZATION_IDS');
    // The suffix is case-insensitive: an id written in lower case there is still the same id.
    expect(
      loadConfig({ env: { SFRELAY_ALLOWED_ORGANIZATION_IDS: '00D5g000004XyZ1eak' } })
        .allowedOrganizationIds,
    ).toEqual(['00D5g000004XyZ1eak']);
  });

  it('names the file and the key for a bad value in a file', () => {
    const yaml = file('relay.yaml', 'allowedOrganizationIds: [not-an-id]\n');
    const error = configError(() => loadConfig({ file: yaml }));
    expect(error.message).toContain('allowedOrganizationIds.0');
    expect(error.message).toContain('15- or 18-character Salesforce id');
    expect(error.message).toContain(yaml);
  });

  it('refuses unknown keys so that a typo never falls back to a default', () => {
    const yaml = file('relay.yaml', 'prot: 9000\nlimits:\n  maxBody: 1\n');
    const error = configError(() => loadConfig({ file: yaml }));
    expect(error.message).toContain('prot');
    expect(error.message).toContain('limits');
    expect(error.message).toContain('maxBody');
  });

  it('names the command-line option that set a bad value', () => {
    const error = configError(() =>
      loadConfig({ overrides: { role: 'boss' }, overrideNames: { role: '--role' } }),
    );
    expect(error.message).toMatch(/role: .*(all|listener|worker)/);
    expect(error.message).toContain('--role');
  });

  it('refuses a short endpoint token without echoing it', () => {
    const error = configError(() =>
      loadConfig({ env: { SFRELAY_ENDPOINT_TOKEN: 'short-secret' } }),
    );
    expect(error.message).toContain('endpointToken');
    expect(error.message).not.toContain('short-secret');
  });

  it('requires a CA when client certificates are required', () => {
    const yaml = file(
      'relay.yaml',
      'tls:\n  certFile: c\n  keyFile: k\n  requireClientCert: true\n',
    );
    expect(configError(() => loadConfig({ file: yaml })).message).toContain('tls.caFile');
  });

  it('says so when the file is missing, unparsable or of an unknown kind', () => {
    expect(configError(() => loadConfig({ file: '/nonexistent/relay.yaml' })).message).toMatch(
      /cannot read config file \/nonexistent\/relay.yaml/,
    );
    expect(configError(() => loadConfig({ file: file('bad.json', '{port:') })).message).toMatch(
      /cannot be parsed/,
    );
    expect(configError(() => loadConfig({ file: file('relay.toml', 'port = 1') })).message).toMatch(
      /\.json, \.yaml or \.yml/,
    );
    expect(
      configError(() => loadConfig({ file: file('list.yaml', '- 1\n- 2\n') })).message,
    ).toMatch(/object of settings/);
  });
});
