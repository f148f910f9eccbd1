// Runs in the backend (plain Node): hand-held-looking camera shake as a whole-pixel image offset per frame. Whole
// pixels let every frame be an exact row copy of the pre-rendered background; labels add the same offset, so they
// follow the shake exactly.
import type { Rng } from './prng'

export interface Shake {
  /** Largest |offset| it can produce in either axis (pixels); the background margin. */
  margin: number
  at(t: number): [number, number]
}

/** amplitude: peak offset in pixels (scaled to the frame height by the caller). */
export function makeShake(rng: Rng, amplitude: number): Shake {
  const waves: { ax: number; ay: number; f: number; px: number; py: number }[] = []
  let sum = 0
  for (let i = 0; i < 3; i++) {
    const a = amplitude * rng.range(0.3, 1) * (i === 0 ? 1 : 0.5)
    sum += a
    waves.push({
      ax: a,
      ay: a * rng.range(0.4, 0.9),
      f: rng.range(0.2, 2.4),
      px: rng.range(0, 6.283),
      py: rng.range(0, 6.283)
    })
  }
  return {
    margin: Math.ceil(sum) + 1,
    at(t: number): [number, number] {
      let x = 0
      let y = 0
      for (const w of waves) {
        x += w.ax * Math.sin(6.283185307179586 * w.f * t + w.px)
        y += w.ay * Math.sin(6.283185307179586 * w.f * 1.3 * t + w.py)
      }
      return [Math.round(x), Math.round(y)]
    }
  }
}
