import type { Clock } from '../shared/index.ts';

export interface ThroughputPoint {
  /** Start of the bucket, ISO-8601. */
  readonly at: string;
  readonly done: number;
}

/** Notifications finished per 10-second bucket over the last ten minutes, for the chart. */
export class Throughput {
  static readonly BUCKET_MS = 10_000;
  static readonly BUCKETS = 60;
  readonly #counts = new Map<number, number>();

  constructor(private readonly clock: Clock) {}

  recordDone(): void {
    const bucket = Math.floor(this.clock.now().getTime() / Throughput.BUCKET_MS);
    this.#counts.set(bucket, (this.#counts.get(bucket) ?? 0) + 1);
    for (const key of this.#counts.keys())
      if (key < bucket - Throughput.BUCKETS) this.#counts.delete(key);
  }

  series(): ThroughputPoint[] {
    const current = Math.floor(this.clock.now().getTime() / Throughput.BUCKET_MS);
    return Array.from({ length: Throughput.BUCKETS }, (_, i) => {
      const bucket = current - Throughput.BUCKETS + 1 + i;
      return {
        at: new Date(bucket * Throughput.BUCKET_MS).toISOString(),
        done: this.#counts.get(bucket) ?? 0,
      };
    });
  }
}
