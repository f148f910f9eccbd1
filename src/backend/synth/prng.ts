// Runs in the backend (plain Node): the synthetic generator's only source of randomness. A small seeded PRNG
// (sfc32, seeded through splitmix32) so the same seed gives the same scene on every platform and Node version;
// Math.random is never used by the generator.

/** Mixes a 32-bit integer into a well-spread one; used to derive seeds so that nearby seeds give unrelated scenes. */
export function splitmix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return (z ^ (z >>> 16)) >>> 0
}

/** Hashes a few integers into one 32-bit value (for position-keyed texture randomness that needs no state). */
export function hash32(a: number, b = 0, c = 0): number {
  return splitmix32(splitmix32(splitmix32(a | 0) ^ (b | 0)) ^ (c | 0))
}

export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number, stream = 0) {
    // Stream lets one seed feed independent generators (camera, venue, clip k) without them drifting apart when
    // one of them draws more numbers.
    this.a = splitmix32(seed ^ 0x5eed)
    this.b = splitmix32(this.a ^ stream)
    this.c = splitmix32(this.b + 0x1234567)
    this.d = 1
    for (let i = 0; i < 15; i++) this.nextU32()
  }

  /** sfc32: 128-bit state, passes PractRand far beyond what a scene needs, integer-only so bit-exact everywhere. */
  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296
  }

  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next()
  }

  int(lo: number, hiInclusive: number): number {
    return lo + Math.floor(this.next() * (hiInclusive - lo + 1))
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)]
    if (item === undefined) throw new Error('pick from an empty list')
    return item
  }

  /** Picks by weight: [[item, weight], ...]. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0
    for (const [, w] of items) total += w
    let r = this.next() * total
    for (const [item, w] of items) {
      r -= w
      if (r < 0) return item
    }
    const last = items[items.length - 1]
    if (!last) throw new Error('weighted pick from an empty list')
    return last[0]
  }

  /** Roughly normal (sum of four uniforms): cheap, bounded, and good enough for jitter and noise. */
  normal(mean = 0, sd = 1): number {
    const s = this.next() + this.next() + this.next() + this.next() - 2
    return mean + sd * s * 1.7320508
  }
}
