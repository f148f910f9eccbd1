// Runs in Node (Vitest): a frame seen by several windows is decoded from the mean of their probabilities
// (predict.py's overlap averaging). The merge leaves out the sigmoid of pixels that are background in every
// window; what it reports must be what the full mean gives, to the three decimals results are kept to.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { HeatmapDecoder } from '../../../src/shared/heatmap'
import { HeatmapMerge, type RawDetection } from '../../../src/backend/tracking/heatmap-merge'
import { specFromMetadata } from '../../../src/backend/tracking/model-spec'
import { MINIMAL_METADATA } from './fixtures'

const W = 16
const H = 8
const spec = specFromMetadata({
  ...MINIMAL_METADATA,
  'shuttle.input_height': String(H),
  'shuttle.input_width': String(W)
})
const video = { width: W * 4, height: H * 4 }

/** The whole mean, every pixel's sigmoid, as the windows give it, decoded like the merge decodes. */
function reference(maps: Float32Array[]): RawDetection {
  const acc = new Float32Array(W * H)
  for (const m of maps)
    for (let i = 0; i < acc.length; i++) acc[i] = acc[i]! + Math.fround(1 / (1 + Math.exp(-m[i]!)))
  for (let i = 0; i < acc.length; i++) acc[i] = acc[i]! / maps.length
  const decoder = new HeatmapDecoder({
    heatmap: { width: W, height: H },
    video,
    output: 'sigmoid',
    threshold: 0.5
  })
  const candidates = decoder.candidates(acc, 0, 4)
  const best = candidates[0]
  if (best) return { frame: 0, visible: true, x: best.x, y: best.y, confidence: best.confidence, candidates }
  return { frame: 0, visible: false, x: 0, y: 0, confidence: decoder.decode(acc).confidence, candidates }
}

const kept = (d: RawDetection): unknown =>
  JSON.parse(JSON.stringify(d, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toFixed(3)) : v)))

describe('mean of overlapping windows', () => {
  it('reports what the full mean reports, background left out or not', () => {
    // Logits mostly far below the threshold, some near or above it, in 2 or 3 windows.
    const logit = fc.oneof(
      { weight: 6, arbitrary: fc.float({ min: -40, max: -8, noNaN: true }) },
      { weight: 2, arbitrary: fc.float({ min: -12, max: 6, noNaN: true }) }
    )
    const maps = fc.array(fc.array(logit, { minLength: W * H, maxLength: W * H }), {
      minLength: 2,
      maxLength: 3
    })
    fc.assert(
      fc.property(maps, (ms) => {
        const windows = ms.map((m) => Float32Array.from(m))
        const merge = new HeatmapMerge(spec, video, 0)
        for (const m of windows) merge.add(0, m)
        const [got] = merge.finish(1)
        expect(kept(got!)).toEqual(kept(reference(windows)))
      }),
      { numRuns: 300 }
    )
  })

  it('keeps the peak of a frame where nothing reaches the threshold, as the full mean has it', () => {
    const quiet = fc.array(fc.float({ min: -12, max: -5.5, noNaN: true }), {
      minLength: W * H,
      maxLength: W * H
    })
    fc.assert(
      fc.property(fc.array(quiet, { minLength: 2, maxLength: 3 }), (ms) => {
        const windows = ms.map((m) => Float32Array.from(m))
        const merge = new HeatmapMerge(spec, video, 0)
        for (const m of windows) merge.add(0, m)
        const [got] = merge.finish(1)
        expect(got!.visible).toBe(false)
        expect(kept(got!)).toEqual(kept(reference(windows)))
      }),
      { numRuns: 200 }
    )
  })
})
