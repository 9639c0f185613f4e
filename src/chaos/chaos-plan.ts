import { seededRandom } from '../shared/index.ts';

/** One SIGKILL: when (as a fraction of the run's progress), whom, and how long it stays dead. */
export interface PlannedKill {
  /** Kill once this fraction (0..1) of the closed Opportunities has been processed. */
  readonly atProgress: number;
  /** Index into the relay processes. */
  readonly victim: number;
  /** How long the process stays down before it is started again. */
  readonly downMs: number;
}

/** A stretch in which a dependency is down: the ERP, the database server, or the disk. */
export interface PlannedOutage {
  readonly atProgress: number;
  readonly downMs: number;
}

export interface ChaosPlan {
  readonly kills: readonly PlannedKill[];
  /** The ERP refusing every call for a stretch (`--erp-outage`), at most one. */
  readonly erpOutages: readonly PlannedOutage[];
  /** Restarts of the run's own PostgreSQL server (`--db-restarts`). */
  readonly dbRestarts: readonly PlannedOutage[];
  /** Stretches in which the SQLite inbox files cannot be written (`--disk-faults`). */
  readonly diskFaults: readonly PlannedOutage[];
  /** Progress fractions at which every Salesforce session is expired (at least one). */
  readonly sessionExpiries: readonly number[];
  /** Seeds for the services' own fault draws, derived from the run's seed. */
  readonly erpSeed: number;
  readonly emulatorSeed: number;
}

export interface ChaosPlanInput {
  readonly seed: number;
  readonly kills: number;
  /** How many relay processes there are to choose from. */
  readonly processes: number;
  /** Seconds the ERP refuses everything, once, mid-run; 0 for none. */
  readonly erpOutageSeconds?: number;
  readonly dbRestarts?: number;
  readonly diskFaults?: number;
}

/**
 * Everything random about a chaos run, drawn from one seed up front: the same seed gives the
 * same kill schedule, the same victims and the same fault draws. Moments are fractions of
 * progress rather than clock times, so the kills land while messages flow on a fast machine
 * and on a loaded one alike.
 */
export function planChaos(input: ChaosPlanInput): ChaosPlan {
  const random = seededRandom(input.seed);
  const between = (low: number, high: number): number => low + random() * (high - low);
  const kills = Array.from({ length: input.kills }, (): PlannedKill => ({
    atProgress: between(0.02, 0.9),
    victim: Math.floor(random() * input.processes),
    downMs: Math.round(between(0, 1500)),
  })).sort((a, b) => a.atProgress - b.atProgress);
  const sessionExpiries = Array.from({ length: 3 }, () => between(0.05, 0.85)).sort(
    (a, b) => a - b,
  );
  const erpSeed = Math.floor(random() * 2 ** 31);
  const emulatorSeed = Math.floor(random() * 2 ** 31);
  // Drawn after the older parts of the plan, so a seed from before these options existed
  // still gives the same kills and fault draws.
  const outages = (count: number, downMs: () => number): PlannedOutage[] =>
    Array.from({ length: count }, () => ({
      atProgress: between(0.05, 0.8),
      downMs: downMs(),
    })).sort((a, b) => a.atProgress - b.atProgress);
  const erpOutageMs = Math.round((input.erpOutageSeconds ?? 0) * 1000);
  return {
    kills,
    sessionExpiries,
    erpSeed,
    emulatorSeed,
    erpOutages: outages(erpOutageMs > 0 ? 1 : 0, () => erpOutageMs),
    dbRestarts: outages(input.dbRestarts ?? 0, () => Math.round(between(0, 2000))),
    diskFaults: outages(input.diskFaults ?? 0, () => Math.round(between(500, 2500))),
  };
}

/** How the fraction P of failing calls is spread over the kinds each service can fail with. */
export interface FaultSettings {
  readonly erp: {
    readonly errorRate: number;
    readonly dropRate: number;
    readonly timeoutRate: number;
    readonly timeoutMs: number;
    readonly seed: number;
  };
  readonly salesforce: {
    readonly rate: number;
    readonly kinds: readonly ('unavailable' | 'invalid_session' | 'unable_to_lock_row')[];
    readonly seed: number;
  };
}

/**
 * ERP: half of the failing calls answer 503, a quarter commit and drop the connection, a
 * quarter are held past the relay's ERP timeout (and then still commit). Salesforce: 503,
 * UNABLE_TO_LOCK_ROW and INVALID_SESSION_ID in equal parts.
 */
export function planFaults(
  plan: ChaosPlan,
  rates: { readonly erp: number; readonly salesforce: number; readonly erpTimeoutMs: number },
): FaultSettings {
  return {
    erp: {
      errorRate: rates.erp / 2,
      dropRate: rates.erp / 4,
      timeoutRate: rates.erp / 4,
      timeoutMs: rates.erpTimeoutMs * 2,
      seed: plan.erpSeed,
    },
    salesforce: {
      rate: rates.salesforce,
      kinds: ['unavailable', 'unable_to_lock_row', 'invalid_session'],
      seed: plan.emulatorSeed,
    },
  };
}
