// Runs in Node (Vitest): peak finding for snapping — a blob's sub-pixel centre, the nearest of several, noise
// and faint blobs ignored, flat tops counted once; the motion window's arithmetic; the model's point first.
import { describe, expect, it } from 'vitest'
import { motionWindow, nearestPeak, nearestWithin, searchWindow, snapClick, type ScalarWindow } from './snap'

/** A window (x0, y0, w, h) with gaussian blobs of the given centres (video pixels), peak and sigma. */
function blobs(
  x0: number,
  y0: number,
  w: number,
  h: number,
  list: { x: number; y: number; peak: number; sigma: number }[],
  noise = 0
): ScalarWindow {
  const values = new Float32Array(w * h)
  let seed = 7
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      let v = 0
      for (const b of list) {
        const dx = x0 + i - b.x
        const dy = y0 + j - b.y
        v += b.peak * Math.exp(-(dx * dx + dy * dy) / (2 * b.sigma * b.sigma))
      }
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      values[j * w + i] = v + (noise * seed) / 0x7fffffff
    }
  }
  return { values, width: w, height: h, x0, y0 }
}

describe('nearestPeak', () => {
  it("finds a blob's centre to a small fraction of a pixel", () => {
    const w = blobs(100, 50, 40, 30, [{ x: 117.3, y: 62.7, peak: 300, sigma: 1.4 }])
    const p = nearestPeak(w, { x: 112, y: 66 }, 10)!
    expect(p.x).toBeCloseTo(117.3, 1)
    expect(p.y).toBeCloseTo(62.7, 1)
    expect(Math.hypot(p.x - 117.3, p.y - 62.7)).toBeLessThan(0.05)
  })

  it('centres a motion-blurred streak (a flat-topped bar) at its middle', () => {
    const values = new Float32Array(30 * 20)
    for (let i = 10; i <= 16; i++) values[9 * 30 + i] = 200 // a 7-pixel streak on row 9
    const p = nearestPeak({ values, width: 30, height: 20, x0: 0, y0: 0 }, { x: 12, y: 11 }, 10)!
    expect(p.x).toBeCloseTo(13, 9)
    expect(p.y).toBeCloseTo(9, 9)
  })

  it('takes the blob nearest the click, not the strongest', () => {
    const w = blobs(0, 0, 60, 40, [
      { x: 20, y: 20, peak: 400, sigma: 1.5 },
      { x: 31, y: 20, peak: 250, sigma: 1.5 }
    ])
    expect(nearestPeak(w, { x: 29, y: 21 }, 10)!.x).toBeCloseTo(31, 1)
    expect(nearestPeak(w, { x: 22, y: 21 }, 10)!.x).toBeCloseTo(20, 1)
  })

  it('ignores noise, blobs too faint beside a strong one, and anything beyond the radius', () => {
    const quiet = blobs(0, 0, 40, 40, [], 15)
    expect(nearestPeak(quiet, { x: 20, y: 20 }, 10)).toBeNull()
    const faintNear = blobs(0, 0, 60, 40, [
      { x: 20, y: 20, peak: 60, sigma: 1.2 },
      { x: 27, y: 20, peak: 400, sigma: 1.2 }
    ])
    expect(nearestPeak(faintNear, { x: 19, y: 20 }, 10)!.x).toBeCloseTo(27, 1)
    const far = blobs(0, 0, 60, 40, [{ x: 45, y: 20, peak: 400, sigma: 1.2 }])
    expect(nearestPeak(far, { x: 20, y: 20 }, 10)).toBeNull()
  })

  it('counts a flat top once', () => {
    const values = new Float32Array(10 * 10)
    values[4 * 10 + 4] = 100
    values[4 * 10 + 5] = 100
    const p = nearestPeak({ values, width: 10, height: 10, x0: 0, y0: 0 }, { x: 4, y: 4 }, 5)!
    expect(p.x).toBeCloseTo(4.5, 9)
    expect(p.value).toBe(100)
  })
})

describe('motion window', () => {
  it('is |frame − background| over RGB at the right background pixels', () => {
    const videoW = 8
    const bg = new Uint8ClampedArray(videoW * 6 * 4).fill(50)
    const win = { x0: 3, y0: 2, width: 2, height: 2 }
    const frame = new Uint8ClampedArray(2 * 2 * 4).fill(50)
    frame.set([80, 20, 50, 255], 4) // window (1, 0) = video (4, 2)
    bg.set([50, 50, 60, 255], (3 * videoW + 3) * 4) // video (3, 3) = window (0, 1)
    const m = motionWindow(frame, bg, videoW, win)
    expect(Array.from(m.values)).toEqual([0, 60, 10, 0])
    expect(m).toMatchObject({ x0: 3, y0: 2, width: 2, height: 2 })
  })

  it('covers the disc and the blob around it, clipped to the frame', () => {
    expect(searchWindow({ x: 100.4, y: 50.6 }, 10, { width: 640, height: 360 })).toEqual({
      x0: 84,
      y0: 34,
      width: 34,
      height: 34
    })
    expect(searchWindow({ x: 2, y: 358 }, 10, { width: 640, height: 360 })).toEqual({
      x0: 0,
      y0: 342,
      width: 19,
      height: 18
    })
  })
})

describe('snapClick', () => {
  const motion = blobs(0, 0, 60, 40, [{ x: 30.4, y: 18.2, peak: 300, sigma: 1.3 }])

  it("prefers the model's point for the frame when it is near enough", () => {
    const r = snapClick({ at: { x: 27, y: 20 }, radius: 10, predictions: [{ x: 25.5, y: 21.5 }], motion })
    expect(r).toEqual({ x: 25.5, y: 21.5, source: 'prediction' })
  })

  it("falls back to the motion peak when the model's point is too far or missing", () => {
    const r = snapClick({ at: { x: 27, y: 20 }, radius: 10, predictions: [{ x: 50, y: 5 }], motion })!
    expect(r.source).toBe('motion')
    expect(Math.hypot(r.x - 30.4, r.y - 18.2)).toBeLessThan(0.05)
    expect(snapClick({ at: { x: 27, y: 20 }, radius: 10, predictions: [], motion })!.source).toBe('motion')
  })

  it('leaves a click alone when nothing is near', () => {
    expect(snapClick({ at: { x: 5, y: 35 }, radius: 10, predictions: [], motion })).toBeNull()
    expect(snapClick({ at: { x: 5, y: 35 }, radius: 10, predictions: [], motion: null })).toBeNull()
  })

  it('nearestWithin picks the closest point inside the radius', () => {
    const pts = [
      { x: 0, y: 0 },
      { x: 3, y: 4 },
      { x: 1, y: 1 }
    ]
    expect(nearestWithin(pts, { x: 1.2, y: 1.1 }, 10)).toEqual({ x: 1, y: 1 })
    expect(nearestWithin(pts, { x: 20, y: 20 }, 10)).toBeNull()
  })
})
