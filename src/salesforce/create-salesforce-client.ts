import type { Clock } from '../clock.ts';
import type { SalesforceConfig } from '../config/index.ts';
import type { Logger } from '../logger.ts';
import type { Credential } from './credential.ts';
import { OrgSessions } from './org-sessions.ts';
import { readPrivateKeyFromSource, type PrivateKeyReader } from './private-key.ts';
import { readOpportunity } from './read-opportunity.ts';
import type { OrderResult, SalesforceClient } from './salesforce-client.ts';
import { opportunityIdOf } from './salesforce-id-guard.ts';
import { writeByApexRest } from './write-by-apex-rest.ts';
import { writeByRest, type WriteContext } from './write-by-rest.ts';
import { writeBySoap } from './write-by-soap.ts';

export interface SalesforceClientOptions {
  readonly config: SalesforceConfig;
  /** Signs JWT assertions' `exp`: the emulator's virtual clock in tests. */
  readonly clock: Clock;
  readonly logger: Logger;
  /** Where the JWT bearer flow's private key comes from (default: the file or environment variable in config). */
  readonly readPrivateKey?: PrivateKeyReader;
}

type Writer = (
  credential: Credential,
  opportunityId: string,
  result: OrderResult,
  context: WriteContext,
) => Promise<void>;

const WRITERS: Readonly<Record<SalesforceConfig['callback'], Writer>> = {
  rest: writeByRest,
  soap: writeBySoap,
  'apex-rest': writeByApexRest,
};

/**
 * The worker's Salesforce client over plain fetch: OAuth 2.0 (client credentials or JWT
 * bearer, per org) or a legacy message SessionId, read back by SOQL over REST, write back by
 * REST PATCH, SOAP partner update or the Apex REST class, as configured.
 */
export function createSalesforceClient(options: SalesforceClientOptions): SalesforceClient {
  const { config } = options;
  const logger = options.logger.child({ component: 'salesforce' });
  const sessions = new OrgSessions({
    config,
    clock: options.clock,
    logger,
    readPrivateKey: options.readPrivateKey ?? readPrivateKeyFromSource,
  });
  const context = { apiVersion: config.apiVersion, timeoutMs: config.timeoutMs };
  const write = WRITERS[config.callback];

  return {
    async readOpportunity(target, opportunityId) {
      const id = opportunityIdOf(opportunityId);
      return sessions.run(target, (credential) => readOpportunity(credential, id, context));
    },
    async writeOrderResult(target, opportunityId, result) {
      const id = opportunityIdOf(opportunityId);
      await sessions.run(target, (credential) => write(credential, id, result, context));
    },
  };
}
