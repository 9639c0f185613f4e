import type { Clock, Logger } from '../shared/index.ts';
import type { RelayConfig } from '../config/index.ts';
import { HttpErpAdapter } from '../erp/index.ts';
import type { Inbox } from '../inbox/index.ts';
import { createSalesforceClient } from '../salesforce/index.ts';
import { Worker, type Outcome } from '../worker/index.ts';
import type { RelayParts } from './start-relay.ts';
import type { RelayMetrics } from './relay-metrics.ts';

export interface RelayWorkerOptions {
  readonly config: RelayConfig;
  readonly inbox: Inbox;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: RelayMetrics;
  readonly parts: RelayParts;
  readonly onOutcome: (outcome: Outcome, seconds: number) => void;
}

/**
 * The worker with its Salesforce and ERP clients, counted by the relay's metrics. A module of
 * its own so a listener-only relay never loads the worker, the Salesforce client or the ERP
 * code (start-relay imports it only for a role that runs a worker).
 */
export function createRelayWorker(options: RelayWorkerOptions): Worker {
  const { config, clock, logger, metrics, parts } = options;
  return new Worker({
    inbox: options.inbox,
    clock,
    logger,
    settings: config.worker,
    retentionDoneDays: config.retention.doneDays,
    salesforce: metrics.countSalesforce(
      parts.salesforce ?? createSalesforceClient({ config: config.salesforce, clock, logger }),
    ),
    erp: metrics.countErp(
      parts.erp ?? new HttpErpAdapter({ baseUrl: config.erp.url, timeoutMs: config.erp.timeoutMs }),
    ),
    onOutcome: options.onOutcome,
  });
}
