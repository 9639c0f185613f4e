import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import { systemClock, messageOf } from '../shared/index.ts';
import type { OAuthConfig, RelayConfig } from '../config/index.ts';
import { openInbox, parseInboxUrl } from '../inbox/index.ts';
import { describeSenderChecks, loadWsdl } from '../listener/index.ts';
import { startProblems } from '../relay/index.ts';
// The token request itself, without a client around it: check must not read or write records.
import { readPrivateKeyFromSource, requestAccessToken } from '../salesforce/index.ts';

/** One line of `sf-relay check`: what was tried, and either what it found or why it failed. */
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  /** ok: what was found; failed: the reason, then the fix. */
  readonly detail: string;
  /** Passed, but may cost messages: what to look at (printed as `warn`). */
  readonly warning?: string;
}

type Check = () => Promise<Omit<CheckResult, 'name'>>;

const ok = (detail: string): Omit<CheckResult, 'name'> => ({ ok: true, detail });
const failed = (reason: string, fix: string): Omit<CheckResult, 'name'> => ({
  ok: false,
  detail: `${reason} — ${fix}`,
});

/**
 * Tries, without side effects, what the relay needs once it runs: that it would start, the
 * database, an OAuth token per org, the ERP, the TLS files, the sender checks and the WSDL. Every check runs,
 * so one run shows every problem.
 */
export async function runChecks(config: RelayConfig): Promise<CheckResult[]> {
  const problems = startProblems(config);
  const results: CheckResult[] =
    problems.length === 0
      ? [
          {
            name: 'start',
            ok: true,
            detail: `role ${config.role} on ${config.host}:${config.port}`,
          },
        ]
      : problems.map((detail) => ({ name: 'start', ok: false, detail }));
  const checks: [string, Check][] = [
    ['database', () => databaseCheck(config)],
    ...oauthChecks(config),
    ['erp', () => erpCheck(config)],
    ['tls', async () => tlsCheck(config)],
    ['senders', async () => senderCheck(config)],
    ['wsdl', async () => wsdlCheck(config)],
  ];
  for (const [name, check] of checks) {
    try {
      results.push({ name, ...(await check()) });
    } catch (error) {
      results.push({ name, ok: false, detail: messageOf(error) });
    }
  }
  return results;
}

async function databaseCheck(config: RelayConfig): Promise<Omit<CheckResult, 'name'>> {
  const location = parseInboxUrl(config.db);
  if (location.kind === 'sqlite') {
    const path = resolve(location.path);
    if (!existsSync(path)) {
      const folder = nearestExisting(dirname(path));
      try {
        accessSync(folder, constants.W_OK);
      } catch {
        return failed(
          `no inbox at ${path} yet, and ${folder} is not writable`,
          'point db (SFRELAY_DB, --db) at a folder this user may write',
        );
      }
      return ok(`no inbox at ${path} yet: sf-relay start creates it`);
    }
    const inbox = await openInbox(config.db, { readonly: true }).catch((error: unknown) => {
      throw new Error(
        `${messageOf(error)} — start the relay once to upgrade it, or sf-relay migrate --db sqlite:${location.path}`,
      );
    });
    await inbox.close();
    return ok(`SQLite inbox at ${path}, schema current`);
  }
  // PostgreSQL: open without migrating, which fails on a missing or older schema.
  try {
    const inbox = await openInbox(config.db, { migrate: false });
    await inbox.close();
    return ok(`PostgreSQL inbox at ${location.display}, schema current`);
  } catch (error) {
    return failed(
      messageOf(error),
      config.migrateOnStart
        ? 'make the server reachable with these credentials; start then creates or upgrades the schema (or run sf-relay migrate --db …)'
        : 'make the server reachable, then run sf-relay migrate --db … (migrateOnStart is off)',
    );
  }
}

function nearestExisting(folder: string): string {
  let current = folder;
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  return current;
}

function oauthChecks(config: RelayConfig): [string, Check][] {
  if (config.role === 'listener') return [];
  const targets: [string, OAuthConfig][] = [
    ...(config.salesforce.oauth
      ? [['oauth', config.salesforce.oauth] as [string, OAuthConfig]]
      : []),
    ...config.salesforce.orgs.map(
      (org) => [`oauth ${org.organizationId}`, org.oauth] as [string, OAuthConfig],
    ),
  ];
  // No OAuth at all is a start problem, reported once above.
  return targets.map(([name, oauth]) => [
    name,
    async () => {
      try {
        const credential = await requestAccessToken(oauth, {
          organizationId: name === 'oauth' ? 'any org' : name.slice('oauth '.length),
          clock: systemClock,
          timeoutMs: Math.min(config.salesforce.timeoutMs, 10_000),
          readPrivateKey: readPrivateKeyFromSource,
        });
        return ok(
          `${oauth.flow} token obtained from ${oauth.loginUrl} for ${credential.instanceUrl}`,
        );
      } catch (error) {
        return failed(
          messageOf(error),
          `check salesforce.oauth's loginUrl, clientId and ${oauth.flow === 'client_credentials' ? "clientSecret (and the connected app's run-as user)" : 'username and private key (and the certificate on the connected app)'}`,
        );
      }
    },
  ]);
}

async function erpCheck(config: RelayConfig): Promise<Omit<CheckResult, 'name'>> {
  if (config.role === 'listener') return ok('not used by --role listener');
  const url = new URL('/healthz', config.erp.url);
  try {
    const reply = await fetch(url, {
      signal: AbortSignal.timeout(Math.min(config.erp.timeoutMs, 5000)),
    });
    await reply.body?.cancel();
    return ok(`${config.erp.url} answers (HTTP ${reply.status} on /healthz)`);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return failed(
      `${config.erp.url} does not answer${cause ? ` (${cause})` : ''}: ${messageOf(error)}`,
      'start the ERP (sf-relay erp runs the reference one) or correct erp.url (SFRELAY_ERP_URL)',
    );
  }
}

function tlsCheck(config: RelayConfig): Omit<CheckResult, 'name'> {
  const { tls } = config;
  if (tls === undefined)
    return ok('not configured: plain HTTP (put a TLS proxy in front, or set tls)');
  const files: [string, string | undefined][] = [
    ['tls.certFile', tls.certFile],
    ['tls.keyFile', tls.keyFile],
    ['tls.caFile', tls.caFile],
  ];
  const texts = new Map<string, string>();
  for (const [key, path] of files) {
    if (path === undefined) continue;
    try {
      texts.set(key, readFileSync(path, 'utf8'));
    } catch (error) {
      return failed(`${key} ${path}: ${messageOf(error)}`, `point ${key} at a readable PEM file`);
    }
  }
  try {
    createSecureContext({
      cert: texts.get('tls.certFile'),
      key: texts.get('tls.keyFile'),
      ca: texts.get('tls.caFile'),
    });
  } catch (error) {
    return failed(
      `the TLS files do not make a usable server identity: ${messageOf(error)}`,
      'check that tls.keyFile is the private key of tls.certFile, both PEM',
    );
  }
  return ok(
    `${tls.certFile} with its key${tls.caFile ? `, client certificates from ${tls.caFile}` : ''}`,
  );
}

function senderCheck(config: RelayConfig): Omit<CheckResult, 'name'> {
  if (config.role === 'worker') return ok('not used by --role worker');
  const { detail, caution } = describeSenderChecks(config);
  return caution === undefined ? ok(detail) : { ok: true, detail, warning: caution };
}

function wsdlCheck(config: RelayConfig): Omit<CheckResult, 'name'> {
  if (config.role === 'worker') return ok('not used by --role worker');
  if (config.wsdl === undefined) return ok('none configured: the default Opportunity contract');
  try {
    const wsdl = loadWsdl(config.wsdl);
    return ok(`${config.wsdl}: an outbound message of ${wsdl.objectType}`);
  } catch (error) {
    return failed(
      messageOf(error),
      "download the WSDL from the outbound message's page in Setup (Click for WSDL) and point wsdl at it",
    );
  }
}
