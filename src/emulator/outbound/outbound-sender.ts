import { messageOf, type Clock, describeFetchFailure, type Logger } from '../../shared/index.ts';
import {
  readAck,
  renderOutboundMessage,
  toId15,
  type OutboundMessage,
  type OutboundNotification,
} from '../../soap/index.ts';
import type { SessionAuthority } from '../auth/session-authority.ts';
import type { FaultInjector } from '../faults.ts';
import type { RecordStore } from '../records/record-store.ts';
import type { FieldDefinition, StoredValue } from '../schema/types.ts';
import type { OutboundMessageDefinition } from './definition.ts';
import type { OutboundDefinitions } from './outbound-definitions.ts';
import type { OutboundQueue, QueuedNotification } from './outbound-queue.ts';
import { retryDelayMs, type RetryPolicy } from './retry-schedule.ts';

const MAX_NOTIFICATIONS = 100;
const API_VERSION = '60.0';

export interface OutboundSenderOptions {
  readonly queue: OutboundQueue;
  readonly definitions: OutboundDefinitions;
  readonly store: RecordStore;
  readonly clock: Clock;
  readonly authority: SessionAuthority;
  readonly faults: FaultInjector;
  readonly organizationId: string;
  readonly instanceUrl: string;
  readonly policy: RetryPolicy;
  /** Legacy orgs: send the user-to-send-as's session when the definition asks for it. */
  readonly legacySessionId: boolean;
  /** Salesforce gives each delivery 60 seconds. */
  readonly timeoutMs: number;
  /** How often due notifications are looked for, in real milliseconds. */
  readonly pollMs: number;
  readonly maxConcurrentDeliveries: number;
  readonly logger: Logger;
  readonly random?: () => number;
}

export interface DeliveryRecord {
  readonly endpointUrl: string;
  readonly notificationIds: readonly string[];
  readonly at: Date;
  readonly ok: boolean;
  readonly reason: string | null;
}

export interface SenderStats {
  readonly messagesSent: number;
  readonly messagesAcked: number;
  readonly messagesFailed: number;
  readonly notificationsDelivered: number;
  readonly notificationsDropped: number;
}

/**
 * Delivers queued notifications the way Salesforce does: per endpoint and definition, up to
 * 100 per SOAP message, field values read at send time, anything but `Ack` true retried with
 * exponential backoff, dropped at 24 hours.
 */
export class OutboundSender {
  readonly #options: OutboundSenderOptions;
  readonly #random: () => number;
  readonly #history: DeliveryRecord[] = [];
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<void> | undefined;
  readonly #running = new Set<Promise<void>>();
  #inFlight = 0;
  #stats = {
    messagesSent: 0,
    messagesAcked: 0,
    messagesFailed: 0,
    notificationsDelivered: 0,
    notificationsDropped: 0,
  };

  constructor(options: OutboundSenderOptions) {
    this.#options = options;
    this.#random = options.random ?? Math.random;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.#pump(), this.#options.pollMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#ticking;
    await Promise.all(this.#running);
  }

  /** Sends everything due now and resolves once those deliveries ended; concurrent calls share one pass. */
  tick(): Promise<void> {
    this.#ticking ??= this.#pass().finally(() => {
      this.#ticking = undefined;
    });
    return this.#ticking;
  }

  get stats(): SenderStats {
    return { ...this.#stats };
  }

  /** The latest deliveries, newest last (bounded). */
  history(): readonly DeliveryRecord[] {
    return this.#history;
  }

  /** True while no notification is due or being delivered. */
  get idle(): boolean {
    return this.#inFlight === 0 && this.#options.queue.due().length === 0;
  }

  async #pass(): Promise<void> {
    const batches = this.#dueBatches();
    // Claimed up front, so the pump cannot send them too while this pass waits for a slot.
    for (const batch of batches) for (const item of batch) item.inFlight = true;
    const mine: Promise<void>[] = [];
    for (const batch of batches) {
      while (this.#running.size >= this.#slots) await Promise.race(this.#running);
      mine.push(this.#launch(batch));
    }
    await Promise.all(mine);
  }

  /**
   * The poll: fills the free delivery slots with what is due and returns at once. A pass does
   * not wait for slow deliveries before looking again, and a slot that frees up is refilled
   * straight away, so one slow endpoint response does not hold back notifications queued
   * behind it (each message still carries everything due for its definition, up to 100).
   */
  #pump(): void {
    if (!this.#timer) return;
    const free = this.#slots - this.#running.size;
    if (free <= 0) return;
    for (const batch of this.#dueBatches().slice(0, free)) {
      for (const item of batch) item.inFlight = true;
      void this.#launch(batch);
    }
  }

  get #slots(): number {
    return Math.max(1, this.#options.maxConcurrentDeliveries);
  }

  /** Drops what is 24 hours old, then groups what is due into messages. */
  #dueBatches(): QueuedNotification[][] {
    const { queue, policy, faults } = this.#options;
    const dropped = queue.dropExpired(policy.maxAgeMs);
    if (dropped.length > 0) {
      this.#stats.notificationsDropped += dropped.length;
      this.#options.logger.warn(
        { event: 'emulator.outbound.dropped', count: dropped.length },
        'outbound notifications dropped at 24 hours',
      );
    }
    let due = queue.due();
    if (due.length === 0) return [];
    if (faults.shuffleDeliveries) due = shuffle(due, this.#random);
    return batchByDefinition(due);
  }

  #launch(batch: QueuedNotification[]): Promise<void> {
    const delivery = this.#deliver(batch).finally(() => {
      this.#running.delete(delivery);
      this.#pump();
    });
    this.#running.add(delivery);
    return delivery;
  }

  async #deliver(batch: QueuedNotification[]): Promise<void> {
    const first = batch[0];
    if (!first) return;
    // Pending messages go to the endpoint configured now, as in Salesforce.
    const definition = this.#options.definitions.get(first.definition.name) ?? first.definition;
    this.#inFlight++;
    try {
      const body = renderOutboundMessage(this.#message(definition, batch));
      const copies = this.#options.faults.duplicateDeliveries ? 2 : 1;
      let outcome: { ok: boolean; reason: string | null } = { ok: false, reason: 'not sent' };
      for (let copy = 0; copy < copies; copy++) {
        const result = await this.#post(definition.endpointUrl, body);
        if (copy === 0) outcome = result;
      }
      this.#settle(batch, outcome);
    } catch (error) {
      // Rendering failed (a value XML cannot carry): retried like any failed delivery.
      this.#settle(batch, {
        ok: false,
        reason: messageOf(error),
      });
    } finally {
      this.#inFlight--;
    }
  }

  #settle(batch: QueuedNotification[], outcome: { ok: boolean; reason: string | null }): void {
    const { queue, clock, policy } = this.#options;
    const now = clock.now();
    const first = batch[0];
    const endpointUrl = first
      ? (this.#options.definitions.get(first.definition.name) ?? first.definition).endpointUrl
      : '';
    this.#history.push({
      endpointUrl,
      notificationIds: batch.map((n) => n.id),
      at: now,
      ok: outcome.ok,
      reason: outcome.reason,
    });
    if (this.#history.length > 1000) this.#history.shift();
    for (const item of batch) {
      item.inFlight = false;
      item.attempts += 1;
      item.lastAttemptAt = now;
      if (outcome.ok) {
        queue.complete(item.id);
        this.#stats.notificationsDelivered++;
      } else {
        item.lastError = outcome.reason;
        item.nextAttemptAt = new Date(
          now.getTime() + retryDelayMs(item.attempts, policy, this.#random),
        );
      }
    }
    if (outcome.ok) this.#stats.messagesAcked++;
    else this.#stats.messagesFailed++;
  }

  async #post(endpointUrl: string, body: string): Promise<{ ok: boolean; reason: string | null }> {
    this.#stats.messagesSent++;
    try {
      const response = await fetch(endpointUrl, {
        method: 'POST',
        headers: {
          'content-type': 'text/xml; charset=utf-8',
          soapaction: '""',
          'user-agent': 'Salesforce - sf-relay emulator',
        },
        body,
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
      const text = await response.text();
      const reading = readAck(text);
      if (response.status !== 200) {
        return {
          ok: false,
          reason: `HTTP ${response.status}${reading.ack ? '' : `: ${reading.reason}`}`,
        };
      }
      return reading.ack ? { ok: true, reason: null } : { ok: false, reason: reading.reason };
    } catch (error) {
      const reason =
        error instanceof Error && error.name === 'TimeoutError'
          ? `no response within ${this.#options.timeoutMs / 1000} seconds`
          : `connection failed: ${describeFetchFailure(error)}`;
      return { ok: false, reason };
    }
  }

  #message(
    definition: OutboundMessageDefinition,
    batch: readonly QueuedNotification[],
  ): OutboundMessage {
    const { organizationId, instanceUrl, authority, legacySessionId } = this.#options;
    const org15 = toId15(organizationId);
    const fields = this.#sentFields(definition);
    let sessionId: string | null = null;
    if (legacySessionId && definition.includeSessionId) {
      const user = authority.findUser(definition.userToSendAs);
      if (user) sessionId = authority.issue(user.id).accessToken;
    }
    return {
      organizationId,
      actionId: definition.actionId,
      sessionId,
      enterpriseUrl: `${instanceUrl}/services/Soap/c/${API_VERSION}/${org15}`,
      partnerUrl: `${instanceUrl}/services/Soap/u/${API_VERSION}/${org15}`,
      notifications: batch.map((item) => this.#notification(fields, item)),
    };
  }

  /** The definition's fields as the message carries them: `sf:Id` apart, the rest alphabetical. */
  #sentFields(definition: OutboundMessageDefinition): SentFields {
    const object = this.#options.store.schema.get(definition.object);
    const fields = definition.fields
      .map((name) => object.fieldsByLowerName.get(name.toLowerCase()))
      .filter((field): field is FieldDefinition => field !== undefined && field.name !== 'Id')
      .sort((a, b) => a.name.localeCompare(b.name));
    return { type: object.definition.name, fields };
  }

  /** Reads the record now, not when it was queued: Salesforce sends the latest data. */
  #notification(sent: SentFields, item: QueuedNotification): OutboundNotification {
    const record = this.#options.store.get(item.recordId);
    if (!record) return { id: item.id, sObject: null };
    const fields: Record<string, string | null> = {};
    for (const field of sent.fields) {
      const value = record.values.get(field.name) ?? null;
      // Salesforce leaves null fields out of the message.
      if (value !== null) fields[field.name] = soapValue(field, value);
    }
    return { id: item.id, sObject: { type: sent.type, id: record.id, fields } };
  }
}

interface SentFields {
  readonly type: string;
  readonly fields: readonly FieldDefinition[];
}

/** Values as Salesforce's SOAP serialiser writes them: doubles always with a fraction. */
export function soapValue(field: FieldDefinition, value: Exclude<StoredValue, null>): string {
  if (typeof value === 'number') {
    if (field.type === 'int') return String(Math.trunc(value));
    return Number.isInteger(value) ? `${value}.0` : String(value);
  }
  return String(value);
}

function batchByDefinition(due: readonly QueuedNotification[]): QueuedNotification[][] {
  const groups = new Map<string, QueuedNotification[]>();
  for (const item of due) {
    const key = item.definition.name;
    const group = groups.get(key) ?? [];
    group.push(item);
    groups.set(key, group);
  }
  const batches: QueuedNotification[][] = [];
  for (const group of groups.values()) {
    for (let i = 0; i < group.length; i += MAX_NOTIFICATIONS)
      batches.push(group.slice(i, i + MAX_NOTIFICATIONS));
  }
  return batches;
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = copy[i];
    const b = copy[j];
    if (a !== undefined && b !== undefined) {
      copy[i] = b;
      copy[j] = a;
    }
  }
  return copy;
}
