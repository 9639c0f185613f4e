import { isLoopbackHost } from '../network/index.ts';
import { toId15 } from '../soap/index.ts';
import { SalesforcePermanentError } from './salesforce-client.ts';

/**
 * Legacy mode's checks before a message's SessionId leaves the relay. The message names the
 * host to call, and a forged one would name the attacker's: so the host must be the one pinned
 * for the org, over https on 443 (http or another port only on loopback, i.e. the emulator),
 * and the SessionId must belong to the org the message claims (its `00D…!` prefix).
 * Each failure is permanent: retrying cannot make a forged message genuine.
 */
export function legacyInstanceUrl(input: {
  readonly partnerUrl: string;
  readonly sessionId: string;
  /** The org's 15-character id. */
  readonly organizationId: string;
  /** `host` or `host:port` this org's sessions may go to, or undefined when none is known. */
  readonly pinnedHost: string | undefined;
}): string {
  const url = parsePartnerUrl(input.partnerUrl);
  const sessionOrg = input.sessionId.split('!')[0] ?? '';
  if (!sessionBelongsTo(sessionOrg, input.organizationId)) {
    throw new SalesforcePermanentError(
      'SESSION_ORG_MISMATCH',
      `the message's SessionId does not belong to org ${input.organizationId} (its prefix names another org, or none); it was not used`,
    );
  }
  if (!isLoopbackHost(url.hostname) && (url.protocol !== 'https:' || url.port !== '')) {
    throw new SalesforcePermanentError(
      'SESSION_URL_INSECURE',
      `the message's PartnerUrl is ${url.protocol}//${url.host}: a SessionId is sent only over https on port 443`,
    );
  }
  if (input.pinnedHost === undefined) {
    throw new SalesforcePermanentError(
      'SESSION_HOST_NOT_PINNED',
      `no instance host is pinned for org ${input.organizationId}, so its SessionId is sent nowhere: set ` +
        `salesforce.orgs[].instanceHost (e.g. acme.my.salesforce.com), or configure OAuth for the org so the host is learned from it`,
    );
  }
  if (normalizeHost(url.protocol, url.host) !== normalizeHost(url.protocol, input.pinnedHost)) {
    throw new SalesforcePermanentError(
      'SESSION_HOST_NOT_PINNED',
      `the message's PartnerUrl names ${url.host}, not the host pinned for org ${input.organizationId} (${input.pinnedHost}); its SessionId was not sent there`,
    );
  }
  return url.origin;
}

function parsePartnerUrl(partnerUrl: string): URL {
  try {
    return new URL(partnerUrl);
  } catch (cause) {
    throw new SalesforcePermanentError(
      'INVALID_PARTNER_URL',
      `the message's PartnerUrl is not a URL, so there is no instance to call back`,
      { cause },
    );
  }
}

function sessionBelongsTo(prefix: string, org15: string): boolean {
  try {
    return toId15(prefix) === org15;
  } catch {
    return false;
  }
}

/** `Acme.my.salesforce.com:443` and `acme.my.salesforce.com` are the same https host. */
function normalizeHost(protocol: string, host: string): string {
  try {
    return new URL(`${protocol}//${host}`).host.toLowerCase();
  } catch {
    return host.toLowerCase();
  }
}
