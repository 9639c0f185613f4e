import type { TargetName } from './targets/targets.ts';

export const SCENARIO_NAMES = ['ack', 'end-to-end', 'recovery', 'api-calls'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface MachineInfo {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  readonly platform: string;
  readonly nodeVersion: string;
  /** How long each load run lasted, in seconds. */
  readonly secondsPerRun: number;
}

export interface AckResult {
  readonly scenario: 'ack';
  readonly target: TargetName;
  readonly concurrency: number;
  readonly batch: number;
  readonly notificationsPerSec: number;
  readonly messagesPerSec: number;
  readonly ackP50Ms: number;
  readonly ackP99Ms: number;
  readonly rssMb: number | null;
  /** Answers other than an Ack (non-2xx, errors, timeouts); 0 in a healthy run. */
  readonly failures: number;
}

export interface EndToEndResult {
  readonly scenario: 'end-to-end';
  readonly target: 'sf-relay-sqlite';
  /** Opportunities closed per second, evenly spaced. */
  readonly closesPerSec: number;
  readonly closed: number;
  readonly completed: number;
  readonly e2eP50Ms: number;
  readonly e2eP95Ms: number;
  readonly e2eP99Ms: number;
  /** Latency did not grow from the first half of the closes to the second: the backlog is flat. */
  readonly sustained: boolean;
}

export interface RecoveryResult {
  readonly scenario: 'recovery';
  readonly target: 'sf-relay-sqlite';
  readonly queued: number;
  /** From spawning `sf-relay start` until the first notification is claimed. */
  readonly firstClaimMs: number;
}

export interface ApiCallsResult {
  readonly scenario: 'api-calls';
  readonly target: 'sf-relay-sqlite';
  /** Opportunities closed at once: 1 (a single close) or a burst. */
  readonly closes: number;
  /** Of them, how many got their order number back. */
  readonly completed: number;
  /** Salesforce API requests the emulated org counted (OAuth token requests excluded). */
  readonly apiCalls: number;
  readonly apiCallsPerOrder: number;
}

export interface StartupResult {
  readonly scenario: 'startup';
  readonly target: 'sf-relay-sqlite' | 'baseline';
  readonly rounds: number;
  /** Median time from spawning the process to its first `/healthz` 200. */
  readonly startupMs: number;
  /** Median RSS at that moment, before any message. */
  readonly idleRssMb: number | null;
}

export type BenchResult =
  AckResult | EndToEndResult | RecoveryResult | ApiCallsResult | StartupResult;

/** A ratio of notifications/s at concurrency 32, or null with the reason it could not be taken. */
export type Ratio = number | null;

export interface Ratios {
  readonly batch1: {
    readonly sqliteVsBaseline: Ratio;
    readonly sqliteVsNodeSoap: Ratio;
    readonly postgresVsBaseline: Ratio;
    readonly postgresVsNodeSoap: Ratio;
  };
  readonly batch100: {
    readonly sqliteVsNodeSoap: Ratio;
    readonly postgresVsNodeSoap: Ratio;
  };
  /** Salesforce API calls per order, from the emulated org's own counters (scenario api-calls). */
  readonly apiCallsPerOrder: { readonly burst: Ratio; readonly single: Ratio };
  /** Start-up to `/healthz` 200 of `sf-relay start --role listener` over a bare Fastify process. */
  readonly startup: { readonly vsBaseline: Ratio };
  /** The SQLite relay's RSS in MB: before any message, and after the batch-100 ack runs. */
  readonly memory: {
    readonly relayIdleRssMb: number | null;
    readonly relayAfterBatch100RssMb: number | null;
  };
  /** Why a ratio is null (a target not measured, or not in this run's scenarios). */
  readonly notes: readonly string[];
}

export interface BenchReport {
  readonly machine: MachineInfo;
  readonly results: readonly BenchResult[];
  readonly ratios: Ratios;
  /** The highest closes/s the end-to-end scenario sustained, or null when it did not run. */
  readonly sustainedClosesPerSec: number | null;
  /** Targets left out, and why. */
  readonly skipped: readonly { readonly target: TargetName; readonly reason: string }[];
}
