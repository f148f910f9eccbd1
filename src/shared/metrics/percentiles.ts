// Runs everywhere (shared): how far off the true positives are. Percentiles interpolate linearly between the
// two nearest ranks (numpy's default), so Python's np.percentile gives the same figures.

export interface DistanceSummary {
  /** Number of distances (the TPs). */
  count: number
  /** null when there are no TPs. */
  p50: number | null
  p90: number | null
  p95: number | null
}

/** q in 0..100 over values sorted ascending; null for an empty list. */
export function percentile(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length
  if (n === 0) return null
  const rank = (q / 100) * (n - 1)
  const lo = Math.floor(rank)
  const hi = Math.min(n - 1, lo + 1)
  const a = sorted[lo] as number
  const b = sorted[hi] as number
  return a + (b - a) * (rank - lo)
}

export function summariseDistances(distances: ArrayLike<number>): DistanceSummary {
  const sorted = Float64Array.from(distances).sort()
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95)
  }
}
