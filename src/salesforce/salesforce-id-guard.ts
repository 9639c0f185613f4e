import { isSalesforceId, toId18 } from '../soap/index.ts';
import { SalesforcePermanentError } from './salesforce-client.ts';

const OPPORTUNITY_PREFIX = '006';

/**
 * The Opportunity id in its 18-character form. It goes into SOQL text and URL paths, so
 * anything else is refused here rather than escaped.
 */
export function opportunityIdOf(value: string): string {
  if (!isSalesforceId(value) || !value.startsWith(OPPORTUNITY_PREFIX)) {
    throw new SalesforcePermanentError(
      'MALFORMED_ID',
      `${JSON.stringify(value.slice(0, 40))} is not an Opportunity id (15 or 18 characters starting with 006)`,
    );
  }
  return toId18(value);
}
