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

/** The worker, and what it owns besides: the ERP client's kept-alive connections. */
export interface RelayWorker {
  readonly worker: Worker;
  /** Closes the clients the worker was given here; call once it has stopped. */
  closeClients(): void;
}

/**
 * The worker with its Salesforce and ERP clients, counted by the relay's metrics. A module of
 * its own so a listener-only relay never loads the worker, the Salesforce client or the ERP
 * code (start-relay imports it only for a role that runs a worker).
 */
export function createRelayWorker(options: RelayWorkerOptions): RelayWorker {
  const { config, clock, logger, metrics, parts } = options;
  const erp =
    parts.erp ?? new HttpErpAdapter({ baseUrl: config.erp.url, timeoutMs: config.erp.timeoutMs });
  const worker = new Worker({
    inbox: options.inbox,
    clock,
    logger,
    settings: config.worker,
    retentionDoneDays: config.retention.doneDays,
    salesforce: metrics.countSalesforce(
      parts.salesforce ?? createSalesforceClient({ config: config.salesforce, clock, logger }),
    ),
    erp: metrics.countErp(erp),
    onOutcome: options.onOutcome,
  });
  return {
    worker,
    closeClients: () => {
      // An ERP passed in belongs to its caller; only the one made here is closed here.
      if (erp !== parts.erp && erp instanceof HttpErpAdapter) erp.close();
    },
  };
}
