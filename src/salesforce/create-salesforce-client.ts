import type { Clock, Logger } from '../shared/index.ts';
import type { SalesforceConfig } from '../config/index.ts';
import type { Credential } from './credential.ts';
import { OrgSessions } from './org-sessions.ts';
import { readPrivateKeyFromSource, type PrivateKeyReader } from './private-key.ts';
import { chunkIdsForQuery, readOpportunities, readOpportunity } from './read-opportunity.ts';
import type {
  OpportunitySnapshot,
  OrderResult,
  OrderWrite,
  SalesforceClient,
} from './salesforce-client.ts';
import { opportunityIdOf } from './salesforce-id-guard.ts';
import { writeByApexRest, writeManyByApexRest } from './write-by-apex-rest.ts';
import { MAX_RECORDS_PER_WRITE, writeManyByRest } from './write-by-collections.ts';
import { writeByRest, type WriteContext } from './write-by-rest.ts';
import { writeBySoap, writeManyBySoap } from './write-by-soap.ts';

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

/** Up to 200 order results in one call; each record's own outcome (null = written). */
type ManyWriter = (
  credential: Credential,
  writes: readonly OrderWrite[],
  context: WriteContext,
) => Promise<Map<string, Error | null>>;

const MANY_WRITERS: Readonly<Record<SalesforceConfig['callback'], ManyWriter>> = {
  rest: writeManyByRest,
  soap: writeManyBySoap,
  'apex-rest': writeManyByApexRest,
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
  const writeMany = MANY_WRITERS[config.callback];

  return {
    async readOpportunity(target, opportunityId) {
      const id = opportunityIdOf(opportunityId);
      return sessions.run(target, (credential) => readOpportunity(credential, id, context));
    },
    async writeOrderResult(target, opportunityId, result) {
      const id = opportunityIdOf(opportunityId);
      await sessions.run(target, (credential) => write(credential, id, result, context));
    },
    async readOpportunities(target, opportunityIds) {
      const outcomes = new Map<string, OpportunitySnapshot | null | Error>();
      const byId18 = checkedIds(opportunityIds, outcomes);
      await Promise.all(
        chunkIdsForQuery([...byId18.keys()], config.apiVersion).map(async (chunk) => {
          try {
            const found = await sessions.run(target, (credential) =>
              readOpportunities(credential, chunk, context),
            );
            for (const id of chunk) outcomes.set(byId18.get(id) ?? id, found.get(id) ?? null);
          } catch (error) {
            for (const id of chunk) outcomes.set(byId18.get(id) ?? id, asError(error));
          }
        }),
      );
      return outcomes;
    },
    async writeOrderResults(target, writes) {
      const outcomes = new Map<string, null | Error>();
      const byId18 = checkedIds(
        writes.map((w) => w.opportunityId),
        outcomes,
      );
      const checked = writes.flatMap((w) => {
        const id = opportunityIdOrNull(w.opportunityId);
        return id === null ? [] : [{ opportunityId: id, result: w.result }];
      });
      const chunks: OrderWrite[][] = [];
      for (let i = 0; i < checked.length; i += MAX_RECORDS_PER_WRITE)
        chunks.push(checked.slice(i, i + MAX_RECORDS_PER_WRITE));
      await Promise.all(
        chunks.map(async (chunk) => {
          try {
            const written = await sessions.run(target, (credential) =>
              writeMany(credential, chunk, context),
            );
            for (const [id, outcome] of written) outcomes.set(byId18.get(id) ?? id, outcome);
          } catch (error) {
            for (const { opportunityId } of chunk)
              outcomes.set(byId18.get(opportunityId) ?? opportunityId, asError(error));
          }
        }),
      );
      return outcomes;
    },
  };
}

function opportunityIdOrNull(value: string): string | null {
  try {
    return opportunityIdOf(value);
  } catch {
    return null;
  }
}

/**
 * The 18-character form of each id, mapped back to the id as the caller gave it (results are
 * keyed that way); an id that is not an Opportunity id gets its MALFORMED_ID failure at once.
 */
function checkedIds<T>(
  ids: readonly string[],
  outcomes: Map<string, T | Error>,
): Map<string, string> {
  const byId18 = new Map<string, string>();
  for (const id of ids) {
    try {
      byId18.set(opportunityIdOf(id), id);
    } catch (error) {
      outcomes.set(id, asError(error));
    }
  }
  return byId18;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
