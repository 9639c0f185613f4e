import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ErpPort } from '../erp/index.ts';
import { MESSAGE_STATES, type Inbox, type StoreResult } from '../inbox/index.ts';
import type { SalesforceClient } from '../salesforce/index.ts';
import type { Outcome } from '../worker/index.ts';
import { SfRelayError } from '../shared/index.ts';

const outcomeOf = (error: unknown): string =>
  error instanceof SfRelayError ? error.code : 'UNEXPECTED';

/**
 * The relay's Prometheus metrics (`GET /metrics`), one registry per relay so two relays in
 * one process (tests, the demo) never mix their numbers.
 */
export class RelayMetrics {
  readonly registry = new Registry();
  readonly #received = new Counter({
    name: 'sfrelay_notifications_received_total',
    help: 'Notifications in acked outbound messages, duplicates included',
    registers: [this.registry],
  });
  readonly #duplicates = new Counter({
    name: 'sfrelay_notifications_duplicate_total',
    help: 'Notifications already in the inbox (Salesforce redeliveries)',
    registers: [this.registry],
  });
  readonly #held = new Counter({
    name: 'sfrelay_notifications_held_total',
    help: 'Notifications stored held: they do not match the configured WSDL (replay once it is fixed)',
    registers: [this.registry],
  });
  readonly #done = new Counter({
    name: 'sfrelay_notifications_done_total',
    help: 'Notifications the worker finished',
    registers: [this.registry],
  });
  readonly #dead = new Counter({
    name: 'sfrelay_notifications_dead_total',
    help: 'Notifications that became dead letters',
    registers: [this.registry],
  });
  readonly #retried = new Counter({
    name: 'sfrelay_notifications_retry_total',
    help: 'Failed tries that will be retried',
    labelNames: ['code'],
    registers: [this.registry],
  });
  readonly #ack = new Histogram({
    name: 'sfrelay_ack_duration_seconds',
    help: 'From request to Ack: parse, checks and commit',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly #processing = new Histogram({
    name: 'sfrelay_processing_duration_seconds',
    help: 'One worker try: read back, ERP order, callback',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly #erpCalls = new Counter({
    name: 'sfrelay_erp_calls_total',
    help: 'ERP calls by outcome (ok, or the error code)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly #salesforceCalls = new Counter({
    name: 'sfrelay_salesforce_calls_total',
    help: 'Salesforce calls by operation and outcome (ok, or the error code)',
    labelNames: ['operation', 'outcome'],
    registers: [this.registry],
  });

  constructor(inbox: Inbox) {
    const registry = this.registry;
    new Gauge({
      name: 'sfrelay_inbox_depth',
      help: 'Notifications in the inbox by state',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        const counts = await inbox.countByState();
        for (const state of MESSAGE_STATES) this.set({ state }, counts[state]);
      },
    });
  }

  readonly stored = (result: StoreResult, ackSeconds: number): void => {
    this.#received.inc(result.received);
    this.#duplicates.inc(result.duplicates);
    this.#held.inc(result.held);
    this.#ack.observe(ackSeconds);
  };

  readonly outcome = (outcome: Outcome, seconds: number): void => {
    this.#processing.observe(seconds);
    if (outcome.kind === 'done') this.#done.inc();
    else if (outcome.kind === 'dead') this.#dead.inc();
    else this.#retried.inc({ code: outcome.code });
  };

  /** The ERP port, counting each call's outcome. */
  countErp(erp: ErpPort): ErpPort {
    const count = async <T>(call: () => Promise<T>): Promise<T> => {
      try {
        const result = await call();
        this.#erpCalls.inc({ outcome: 'ok' });
        return result;
      } catch (error) {
        this.#erpCalls.inc({ outcome: outcomeOf(error) });
        throw error;
      }
    };
    return {
      createOrder: (request, key, signal) => count(() => erp.createOrder(request, key, signal)),
      findOrderFor: (opportunityId, signal) => count(() => erp.findOrderFor(opportunityId, signal)),
    };
  }

  /** The Salesforce client, counting each call's outcome. */
  countSalesforce(client: SalesforceClient): SalesforceClient {
    const count = async <T>(operation: string, call: () => Promise<T>): Promise<T> => {
      try {
        const result = await call();
        this.#salesforceCalls.inc({ operation, outcome: 'ok' });
        return result;
      } catch (error) {
        this.#salesforceCalls.inc({ operation, outcome: outcomeOf(error) });
        throw error;
      }
    };
    return {
      readOpportunity: (target, id) => count('read', () => client.readOpportunity(target, id)),
      writeOrderResult: (target, id, result) =>
        count('callback', () => client.writeOrderResult(target, id, result)),
      // A batch call counts once, as Salesforce counts it; its records' own errors are the
      // worker's outcomes.
      readOpportunities: (target, ids) =>
        count('read', () => client.readOpportunities(target, ids)),
      writeOrderResults: (target, writes) =>
        count('callback', () => client.writeOrderResults(target, writes)),
    };
  }

  readonly routes = async (app: FastifyInstance): Promise<void> => {
    app.get('/metrics', async (_request, reply) =>
      reply.type(this.registry.contentType).send(await this.registry.metrics()),
    );
  };
}
