// Runs in Node (Vitest): decoder behaviour beyond the shared vectors — buffers reused across frames, frames
// read at an offset of a multi-frame output, the not-visible confidence, the optional previous-position
// preference, and bad input.
import { describe, expect, it } from 'vitest'
import { HeatmapDecoder } from '@shared/heatmap/decode'

const W = 32
const H = 18
const HD = { width: 1280, height: 720 }

function map(pixels: [number, number, number][], fill = 0): Float32Array {
  const d = new Float32Array(W * H).fill(fill)
  for (const [y, x, v] of pixels) d[y * W + x] = v
  return d
}

const decoder = (extra: Partial<ConstructorParameters<typeof HeatmapDecoder>[0]> = {}) =>
  new HeatmapDecoder({ heatmap: { width: W, height: H }, video: HD, output: 'sigmoid', ...extra })

describe('HeatmapDecoder', () => {
  it('gives the same answer frame after frame with its reused buffers', () => {
    const d = decoder()
    const a = map([
      [5, 10, 0.9],
      [5, 11, 0.9]
    ])
    const b = map([[12, 3, 0.8]])
    const first = d.decode(a)
    for (let i = 0; i < 5; i++) {
      expect(d.decode(b)).toEqual({
        visible: true,
        x: 3 * 40 + 19.5,
        y: 12 * 40 + 19.5,
        confidence: b[12 * W + 3]
      })
      expect(d.decode(a)).toEqual(first)
    }
    expect(first.x).toBeCloseTo(10.5 * 40 + 19.5, 9)
  })

  it('reads one frame out of a [frames, H, W] tensor by offset', () => {
    const tensor = new Float32Array(3 * W * H)
    tensor.set(map([[2, 2, 0.7]]), W * H)
    tensor.set(map([[9, 30, 0.6]]), 2 * W * H)
    const d = decoder()
    expect(d.decodeInHeatmap(tensor, 0).visible).toBe(false)
    expect(d.decodeInHeatmap(tensor, W * H)).toMatchObject({ visible: true, x: 2, y: 2 })
    expect(d.decodeInHeatmap(tensor, 2 * W * H)).toMatchObject({ visible: true, x: 30, y: 9 })
    expect(() => d.decode(tensor, 2 * W * H + 1)).toThrow(RangeError)
  })

  it('handles more blobs than its first buffers hold', () => {
    const pixels: [number, number, number][] = []
    for (let y = 0; y < H; y += 2) for (let x = 0; x < W; x += 2) pixels.push([y, x, 0.6])
    pixels.push([16, 30, 0.9])
    expect(decoder().decodeInHeatmap(map(pixels))).toMatchObject({ visible: true, x: 30, y: 16 })
  })

  it('reports the heatmap peak as confidence when nothing is visible', () => {
    expect(decoder().decode(map([[3, 3, 0.42]]))).toEqual({
      visible: false,
      x: 0,
      y: 0,
      confidence: map([[0, 0, 0.42]])[0]
    })
    const logits = decoder({ output: 'logits' }).decode(map([], -2))
    expect(logits.visible).toBe(false)
    expect(logits.confidence).toBeCloseTo(1 / (1 + Math.exp(2)), 6)
  })

  it('prefers the blob near the previous position only when asked', () => {
    const frame = map([
      [3, 3, 0.95],
      [3, 4, 0.95],
      [14, 28, 0.6]
    ])
    // The near blob at model (28, 14) is video (1139.5, 579.5); the big one is at (159.5, 139.5).
    const previous = { x: 1130, y: 570 }
    expect(decoder().decode(frame, 0, previous).x).toBeCloseTo(3.5 * 40 + 19.5, 9)
    const tracking = decoder({ track: { maxDistance: 50 } })
    expect(tracking.decode(frame, 0, previous)).toMatchObject({
      x: 1139.5,
      y: 579.5,
      confidence: frame[14 * W + 28]
    })
    // Too far for maxDistance, or no previous position: back to the largest blob.
    expect(tracking.decode(frame, 0, { x: 600, y: 300 }).x).toBeCloseTo(159.5, 9)
    expect(tracking.decode(frame).x).toBeCloseTo(159.5, 9)
  })

  it('refuses sizes and thresholds that make no sense', () => {
    expect(() => decoder({ threshold: 1 })).toThrow(RangeError)
    expect(() => decoder({ heatmap: { width: 0, height: 5 } })).toThrow(RangeError)
  })
})
