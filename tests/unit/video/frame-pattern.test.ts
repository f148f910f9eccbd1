// Runs in Node (Vitest): the frame-number pattern decodes what it encodes, at several picture sizes, with noise.
import { describe, expect, it } from 'vitest'
import { decodeFrameNumber, PATTERN } from '../../helpers/frame-pattern'

/** Paints the pattern for frame n the way the ffmpeg filter does (cells of the 4 × 4 grid). */
function paint(n: number, w: number, h: number, noise = 0): (x: number, y: number) => number {
  let seed = n * 7919 + 1
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff - 0.5) * 2 * noise
  return (x, y) => {
    const i = Math.floor((x * 4) / w) + 4 * Math.floor((y * 4) / h)
    const on = i === PATTERN.whiteCell ? true : i === PATTERN.blackCell ? false : ((n >> (i - 1)) & 1) === 1
    return Math.max(0, Math.min(255, (on ? 235 : 16) + rnd()))
  }
}

describe('frame pattern', () => {
  it('round-trips every frame number it can hold, at several sizes, with noise', () => {
    for (const [w, h] of [
      [320, 240],
      [240, 320],
      [1920, 1080],
      [97, 55]
    ] as const) {
      for (const n of [0, 1, 2, 3, 59, 60, 61, 127, 1000, 2 ** PATTERN.bits - 1]) {
        expect(decodeFrameNumber(paint(n, w, h, 40), w, h)).toBe(n)
      }
    }
  })

  it('says -1 on a picture without the pattern', () => {
    expect(decodeFrameNumber(() => 128, 320, 240)).toBe(-1)
  })

  it('puts bit centres inside the picture, in distinct cells', () => {
    const seen = new Set<string>()
    for (let b = 0; b < PATTERN.bits; b++) {
      const { x, y } = PATTERN.bitCentre(b, 320, 240)
      expect(x).toBeGreaterThan(0)
      expect(x).toBeLessThan(320)
      expect(y).toBeLessThan(240)
      seen.add(`${x},${y}`)
    }
    expect(seen.size).toBe(PATTERN.bits)
  })
})
