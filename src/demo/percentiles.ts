/** Nearest-rank percentiles of a sample, in the sample's unit; NaN-free (0 for an empty sample). */
export function percentiles(values: readonly number[]): { p50: number; p95: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number => {
    if (sorted.length === 0) return 0;
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return Math.round(sorted[rank] ?? 0);
  };
  return { p50: at(50), p95: at(95), p99: at(99) };
}
