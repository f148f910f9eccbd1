// Runs in the backend (plain Node): camera grain: one table of zero-mean noise and a few noisy copies of the lit
// background, so each frame only has to copy rows of one copy instead of adding noise per pixel.
import type { Rng } from './prng'

/** Entries in the noise table; a power of two so indexes wrap with a mask. */
const NOISE_SIZE = 1 << 18
const COPIES = 4

/** Draws the noise table (standard deviation sigma, 8-bit levels) and then each copy's offset from rng. */
export function grainCopies(rng: Rng, sigma: number, lit: Buffer): { noise: Int8Array; variants: Buffer[] } {
  const noise = new Int8Array(NOISE_SIZE)
  for (let i = 0; i < NOISE_SIZE; i++)
    noise[i] = Math.max(-127, Math.min(127, Math.round(rng.normal(0, sigma))))
  const variants: Buffer[] = []
  const mask = NOISE_SIZE - 1
  for (let k = 0; k < COPIES; k++) {
    const out = Buffer.alloc(lit.length)
    // A different stride per copy so the grain does not repeat between copies.
    const off = rng.int(0, NOISE_SIZE - 1)
    const mul = 1 + 2 * k
    for (let i = 0; i < lit.length; i++) {
      const val = lit[i]! + noise[(i * mul + off) & mask]!
      out[i] = val < 0 ? 0 : val > 255 ? 255 : val
    }
    variants.push(out)
  }
  return { noise, variants }
}
