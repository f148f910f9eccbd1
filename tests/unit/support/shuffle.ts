// Runs in Node (Vitest helper): a shuffle that is the same on every run (a seeded linear congruential
// generator driving Fisher–Yates), so tests that read frames in random order are reproducible.
/** A copy of `a` in an order fixed by `seed`. */
export function shuffled(a: number[], seed: number): number[] {
  const out = [...a]
  let s = seed
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff
    const j = s % (i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}
