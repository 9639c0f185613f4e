import { z } from 'zod';

/** What the parent asks the load-generator process to do (passed as one JSON argument). */
export const loadSpecSchema = z.object({
  url: z.url(),
  connections: z.number().int().min(1).max(1024),
  seconds: z.number().positive().max(3600),
  batch: z.number().int().min(1).max(100),
  runTag: z.string().regex(/^[a-z0-9]{4}$/),
});
export type LoadSpec = z.infer<typeof loadSpecSchema>;

const histogram = z.object({
  average: z.number(),
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
  max: z.number(),
});

/**
 * The part of autocannon's result (its `--json` output / `done` object) the benchmark reads;
 * validated because it crosses a process boundary.
 */
export const autocannonResultSchema = z.object({
  latency: histogram,
  requests: histogram.extend({ total: z.number() }),
  duration: z.number().positive(),
  errors: z.number(),
  timeouts: z.number(),
  non2xx: z.number(),
  '2xx': z.number(),
});
export type AutocannonResult = z.infer<typeof autocannonResultSchema>;
