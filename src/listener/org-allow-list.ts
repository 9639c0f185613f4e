import { toId15 } from '../soap/index.ts';

/**
 * Membership test on the 15-character org id: Salesforce writes the 18-character form in
 * messages, while admins often copy the 15-character one from Setup.
 */
export function createOrgAllowList(
  organizationIds: readonly string[],
): (organizationId: string) => boolean {
  const allowed = new Set(organizationIds.map(toId15));
  return (organizationId) => allowed.has(toId15(organizationId));
}

/**
 * Host patterns: an exact host (`acme.my.salesforce.com`, `127.0.0.1`) or `*.domain`, which
 * matches any host under that domain.
 */
export function createHostAllowList(patterns: readonly string[]): (host: string) => boolean {
  const exact = new Set(patterns.filter((p) => !p.startsWith('*.')).map((p) => p.toLowerCase()));
  const suffixes = patterns.filter((p) => p.startsWith('*.')).map((p) => p.slice(1).toLowerCase());
  return (host) => {
    const name = host.toLowerCase();
    return exact.has(name) || suffixes.some((suffix) => name.endsWith(suffix));
  };
}
