// Runs everywhere (shared): the median of a list of numbers (the mean of the middle two for an even count;
// NaN for none). Rally analysis, the int8 speed choice and the benchmarks all summarise with it.

export function median(xs: readonly number[]): number {
  if (!xs.length) return NaN
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}
