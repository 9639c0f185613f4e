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
