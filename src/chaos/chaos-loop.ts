import { setTimeout as sleep } from 'node:timers/promises';
import type { StateCounts } from '../inbox/index.ts';
import type { ChaosPlan, PlannedKill, PlannedOutage } from './chaos-plan.ts';
import type { ChaosServices } from './chaos-services.ts';
import { callJson } from './json-api.ts';

const TICK_MS = 200;

/**
 * A dependency taken down for a stretch at a planned moment: the ERP refusing everything, the
 * database server restarted, the disk unwritable. `run` takes it down, waits its downtime and
 * brings it back.
 */
export interface Disruption {
  readonly kind: 'erp outage' | 'db restart' | 'disk fault';
  readonly plan: PlannedOutage;
  readonly run: () => Promise<void>;
}

/** What the loop and the run share: how far the run has got. */
export interface RunProgress {
  closed: number;
  done: number;
  kills: number;
}

/**
 * Carries out the plan while messages flow: whenever progress passes a planned moment it
 * SIGKILLs the chosen relay process (and starts it again after its planned downtime) or
 * expires every Salesforce session. Kills may overlap (one process still down when another
 * dies), but never hit a process that is already down, so "K kills" means K crashes.
 */
export class ChaosLoop {
  readonly #services: ChaosServices;
  readonly #plan: ChaosPlan;
  readonly #progress: RunProgress;
  readonly #total: number;
  readonly #readCounts: () => Promise<StateCounts>;
  #stopped = false;
  /** Why the loop gave up (a process that would not restart); the run fails with it. */
  failure: unknown;
  #nextKill = 0;
  #nextExpiry = 0;
  /** Victims on their way back up, by index. */
  readonly #restarting = new Map<number, Promise<void>>();
  readonly #disruptions: readonly Disruption[];
  #nextDisruption = 0;
  readonly #disrupting = new Set<Promise<void>>();
  /** Disruptions carried out, by kind. */
  readonly disrupted = new Map<Disruption['kind'], number>();
  /** The latest disruption of each kind: one of a kind starts only after the one before ends. */
  readonly #lastOfKind = new Map<Disruption['kind'], Promise<void>>();

  constructor(
    services: ChaosServices,
    plan: ChaosPlan,
    progress: RunProgress,
    total: number,
    readCounts: () => Promise<StateCounts>,
    disruptions: readonly Disruption[] = [],
  ) {
    this.#disruptions = [...disruptions].sort((a, b) => a.plan.atProgress - b.plan.atProgress);
    this.#services = services;
    this.#plan = plan;
    this.#progress = progress;
    this.#total = total;
    this.#readCounts = readCounts;
  }

  get expiries(): number {
    return this.#nextExpiry;
  }

  get finished(): boolean {
    return (
      this.#nextKill >= this.#plan.kills.length &&
      this.#nextExpiry >= this.#plan.sessionExpiries.length &&
      this.#restarting.size === 0 &&
      this.#nextDisruption >= this.#disruptions.length &&
      this.#disrupting.size === 0
    );
  }

  /** Runs until `stop()` or a failure (kept in `failure`); `onTick` is called about every 200 ms. */
  async run(onTick: () => void): Promise<void> {
    try {
      await this.#loop(onTick);
    } catch (error) {
      this.failure ??= error;
    } finally {
      // No process may come back after the run has moved on to stopping them all.
      await Promise.all(this.#restarting.values());
      await Promise.all(this.#disrupting);
    }
  }

  async #loop(onTick: () => void): Promise<void> {
    while (!this.#stopped && this.failure === undefined) {
      await this.#readCounts();
      const reached = this.#total === 0 ? 1 : this.#progress.done / this.#total;
      const expiry = this.#plan.sessionExpiries[this.#nextExpiry];
      if (expiry !== undefined && expiry <= reached) {
        await callJson('POST', `${this.#services.emulator.url}/emulator/faults/expire-sessions`);
        this.#nextExpiry++;
      }
      const kill = this.#plan.kills[this.#nextKill];
      if (kill !== undefined && kill.atProgress <= reached) {
        await this.#kill(kill);
        this.#nextKill++;
      }
      const disruption = this.#disruptions[this.#nextDisruption];
      if (disruption !== undefined && disruption.plan.atProgress <= reached) {
        this.#disrupt(disruption);
        this.#nextDisruption++;
      }
      onTick();
      await sleep(TICK_MS);
    }
  }

  /**
   * SIGKILLs the victim and brings it back after its downtime without waiting: the next kill
   * may hit another process while this one is still down, as crashes do. A victim still
   * coming back is waited for first, so every kill kills a running process.
   */
  async #kill(kill: PlannedKill): Promise<void> {
    const victim = this.#services.relays[kill.victim];
    if (!victim) return;
    await this.#restarting.get(kill.victim);
    await victim.kill();
    this.#progress.kills++;
    const back = (async (): Promise<void> => {
      await sleep(kill.downMs);
      await victim.restart();
      // The listener comes back on a new port: Salesforce is told where, as an admin would.
      if (kill.victim === 0) await this.#services.pointEmulatorAtListener();
    })()
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => this.#restarting.delete(kill.victim));
    this.#restarting.set(kill.victim, back);
  }

  /** In the background, as a kill's restart: messages keep flowing (and failing) meanwhile. */
  #disrupt(disruption: Disruption): void {
    // Two restarts of one server, or two stretches of one read-only file, must not overlap:
    // the second would find the server already down, or undo the first one's chattr.
    const previous = this.#lastOfKind.get(disruption.kind) ?? Promise.resolve();
    const running: Promise<void> = previous
      .then(() => disruption.run())
      .then(() => {
        this.disrupted.set(disruption.kind, (this.disrupted.get(disruption.kind) ?? 0) + 1);
      })
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => this.#disrupting.delete(running));
    this.#disrupting.add(running);
    this.#lastOfKind.set(disruption.kind, running);
  }

  /**
   * True once the plan is carried out, the emulator has nothing left to send, and the inbox
   * holds every notification with none waiting or in flight; false at the deadline.
   */
  async waitForQuiet(deadline: number): Promise<boolean> {
    while (Date.now() < deadline) {
      if (this.failure !== undefined) return false;
      if (this.finished) {
        // The emulator first: once it has nothing queued, everything it sent was acked, so
        // every notification is in the inbox when the inbox is read next.
        const status = await callJson<{ outbound: { queued: number } }>(
          'GET',
          `${this.#services.emulator.url}/emulator/status`,
        );
        const counts = await this.#readCounts();
        const settled = counts.done + counts.dead;
        if (
          status.outbound.queued === 0 &&
          counts.received + counts.processing + counts.retry_wait === 0 &&
          settled >= this.#progress.closed
        )
          return true;
      }
      await sleep(250);
    }
    return false;
  }

  stop(): void {
    this.#stopped = true;
  }
}
