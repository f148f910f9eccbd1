// Runs in Node (Vitest): the letterbox geometry — sizes, Python's rounding, the pixel-centre convention and
// the round trip between video and model pixels.
import { describe, expect, it } from 'vitest'
import { letterbox, letterboxFilter, roundHalfEven, toModel, toVideo } from '@shared/heatmap/letterbox'

describe('letterbox', () => {
  it('rounds halves to even, as Python 3 does', () => {
    expect([0.5, 1.5, 2.5, 26.5, 26.4, 26.6, 3].map(roundHalfEven)).toEqual([0, 2, 2, 26, 26, 27, 3])
  })

  it('fills 512×288 with a 16:9 video, pixel centres mapping as m + 0.5 = (v + 0.5)·s', () => {
    const lb = letterbox({ width: 1280, height: 720 })
    expect(lb).toMatchObject({ scaledWidth: 512, scaledHeight: 288, sx: 0.4, sy: 0.4 })
    // Model pixel 0's centre is the centre of video pixels 0..2.5, i.e. 0.75.
    expect(toVideo(lb, 0, 0)).toEqual({ x: 0.75, y: 0.75 })
    expect(toVideo(lb, 511, 287).x).toBeCloseTo(1278.25, 9)
    expect(toModel(lb, 0.75, 0.75).x).toBeCloseTo(0, 12)
  })

  it('keeps the picture top-left and pads right/bottom for other aspect ratios', () => {
    const lb = letterbox({ width: 1440, height: 1080 })
    expect(lb).toMatchObject({ scaledWidth: 384, scaledHeight: 288 })
    expect(letterboxFilter(lb)).toBe('scale=384:288:flags=bilinear,pad=512:288:0:0:black')
    // No offset: the picture's left edge is model x = -0.5, video x = -0.5.
    expect(toVideo(lb, -0.5, -0.5).x).toBeCloseTo(-0.5, 12)
  })

  it('round-trips video → model → video', () => {
    const lb = letterbox({ width: 848, height: 512 }, { width: 32, height: 16 })
    expect(lb.scaledWidth).toBe(26) // 26.5 rounds to even
    expect(lb.sx).not.toBe(lb.sy)
    const m = toModel(lb, 123.25, 456.5)
    const v = toVideo(lb, m.x, m.y)
    expect(v.x).toBeCloseTo(123.25, 9)
    expect(v.y).toBeCloseTo(456.5, 9)
  })

  it('refuses a video without a size', () => {
    expect(() => letterbox({ width: 0, height: 720 })).toThrow(RangeError)
  })
})
