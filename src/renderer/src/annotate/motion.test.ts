// Runs in Node (Vitest): the median background ignores what moves, and the motion image shows only it.
import { describe, expect, it } from 'vitest'
import { medianBackground, motionImage } from './motion'

function frame(w: number, h: number, dot: number | null): Uint8ClampedArray {
  const f = new Uint8ClampedArray(w * h * 4).fill(40)
  for (let i = 3; i < f.length; i += 4) f[i] = 255
  if (dot !== null) f.set([255, 255, 255, 255], dot * 4)
  return f
}

describe('motion view', () => {
  it('finds the background under a moving dot and shows the dot alone', () => {
    const frames = [0, 5, 9, 14, 20].map((p) => frame(8, 4, p))
    const bg = medianBackground(frames)
    expect(Array.from(bg.slice(0, 4))).toEqual([40, 40, 40, 255])
    const out = new Uint8ClampedArray(bg.length)
    motionImage(frames[2]!, bg, 2, out)
    const lit = []
    for (let i = 0; i < out.length; i += 4) if (out[i]! > 0) lit.push(i / 4)
    expect(lit).toEqual([9])
  })
})
