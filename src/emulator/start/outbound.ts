import type { EmulatorConfig } from '../../config/index.ts';
import type { Logger } from '../../shared/index.ts';
import { toId18 } from '../../soap/index.ts';
import type { ApiCounters } from '../api-counters.ts';
import type { FaultInjector } from '../faults.ts';
import { createAutomation } from '../outbound/automation.ts';
import { configuredDefinitions } from '../outbound/configured-definitions.ts';
import type { OutboundMessageDefinition } from '../outbound/definition.ts';
import { OutboundDefinitions } from '../outbound/outbound-definitions.ts';
import { OutboundQueue } from '../outbound/outbound-queue.ts';
import { OutboundSender } from '../outbound/outbound-sender.ts';
import type { Org } from './open-org.ts';

export interface Outbound {
  readonly definitions: OutboundDefinitions;
  readonly queue: OutboundQueue;
  readonly sender: OutboundSender;
}

/**
 * The outbound messages the org sends: definitions from metadata and config, the automation
 * that queues a message on a matching record change, and the sender (not yet started: it
 * needs the org's URL, known once the server listens).
 */
export function createOutbound(
  config: EmulatorConfig,
  org: Org,
  dependencies: {
    readonly counters: ApiCounters;
    readonly faults: FaultInjector;
    readonly logger: Logger;
    /** The org's URL, read per delivery. */
    readonly instanceUrl: () => string;
  },
): Outbound {
  const { clock, ids, store } = org;
  const definitions = new OutboundDefinitions(
    configuredDefinitions(org.metadata.outboundMessages, config.outboundMessages).map(
      (definition): OutboundMessageDefinition => ({
        ...definition,
        actionId: toId18(definition.actionId ?? ids.next('04k')),
      }),
    ),
  );
  const queue = new OutboundQueue(clock, ids);
  store.onChange(dependencies.counters.countWrite);
  store.onChange(createAutomation(definitions, queue));
  const sender = new OutboundSender({
    queue,
    definitions,
    store,
    clock,
    authority: org.authority,
    faults: dependencies.faults,
    organizationId: org.organizationId,
    get instanceUrl() {
      return dependencies.instanceUrl();
    },
    policy: {
      initialDelayMs: config.retry.initialDelaySeconds * 1000,
      maxDelayMs: config.retry.maxDelaySeconds * 1000,
      maxAgeMs: config.retry.maxAgeHours * 3_600_000,
      jitterRatio: config.retry.jitterRatio,
    },
    legacySessionId: config.legacySessionId,
    timeoutMs: config.delivery.timeoutSeconds * 1000,
    pollMs: config.delivery.pollMs,
    maxConcurrentDeliveries: config.delivery.maxConcurrent,
    logger: dependencies.logger,
  });
  clock.onAdvance(() => void sender.tick());
  return { definitions, queue, sender };
}
