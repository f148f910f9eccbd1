// Runs in Node (Vitest): the pieces of the metrics — per-frame outcomes, scores when a ratio is undefined,
// totals as sums of counts, the tolerance at other resolutions, percentiles.
import { describe, expect, it } from 'vitest'
import { classifyFrame } from '@shared/metrics/counts'
import { evaluateTrack, type TrackEvaluation } from '@shared/metrics/evaluate'
import { percentile, summariseDistances } from '@shared/metrics/percentiles'
import { scores } from '@shared/metrics/scores'
import { summarise } from '@shared/metrics/summary'
import { toleranceFor } from '@shared/metrics/tolerance'

const at = (frame: number, x: number, y: number) => ({ frame, visible: true, x, y })
const none = (frame: number) => ({ frame, visible: false, x: 0, y: 0 })

describe('classifyFrame', () => {
  it('gives each of the five outcomes', () => {
    expect(classifyFrame(at(0, 3, 4), at(0, 0, 0), 5)).toEqual({ outcome: 'TP', distance: 5 })
    expect(classifyFrame(at(0, 3, 4), at(0, 0, 0), 4.99).outcome).toBe('FP1')
    expect(classifyFrame(at(0, 3, 4), none(0), 5).outcome).toBe('FP2')
    expect(classifyFrame(none(0), at(0, 3, 4), 5).outcome).toBe('FN')
    expect(classifyFrame(undefined, at(0, 3, 4), 5).outcome).toBe('FN')
    expect(classifyFrame(undefined, none(0), 5).outcome).toBe('TN')
  })
})

describe('scores', () => {
  it('is 0 where a ratio is undefined', () => {
    expect(scores({ TP: 0, FP1: 0, FP2: 0, FN: 0, TN: 0 })).toEqual({
      frames: 0,
      precision: 0,
      recall: 0,
      F1: 0,
      accuracy: 0
    })
    expect(scores({ TP: 0, FP1: 0, FP2: 0, FN: 0, TN: 7 })).toMatchObject({ F1: 0, accuracy: 1 })
  })
})

describe('summarise', () => {
  it('adds counts across clips instead of averaging their F1', () => {
    const big = evaluateTrack(
      Array.from({ length: 90 }, (_, i) => at(i, 0, 0)),
      Array.from({ length: 90 }, (_, i) => at(i, 0, 0)),
      4
    )
    const small: TrackEvaluation = evaluateTrack([none(0), none(1)], [at(0, 0, 0), at(1, 0, 0)], 4)
    const s = summarise([big, small])
    expect(s).toMatchObject({ TP: 90, FN: 2, frames: 92, precision: 1 })
    expect(s.recall).toBeCloseTo(90 / 92, 12)
    // The mean of the clips' F1 would be 0.5.
    expect(s.F1).toBeCloseTo((2 * (90 / 92)) / (1 + 90 / 92), 12)
    expect(s.distance.count).toBe(90)
  })
})

describe('toleranceFor', () => {
  it('scales 4 px at 512×288 to the video (TrackNet), or keeps 4 px (strict), or other px', () => {
    expect(toleranceFor({ width: 512, height: 288 })).toBe(4)
    expect(toleranceFor({ width: 1920, height: 1080 })).toBeCloseTo(15, 12)
    expect(toleranceFor({ width: 640, height: 360 })).toBeCloseTo(5, 12)
    expect(toleranceFor({ width: 1920, height: 1080 }, { mode: 'strict' })).toBe(4)
    expect(toleranceFor({ width: 1280, height: 720 }, { px: 2 })).toBeCloseTo(5, 12)
    expect(toleranceFor({ width: 1280, height: 720 }, { mode: 'strict', px: 6 })).toBe(6)
  })

  it('takes the limiting side for other aspect ratios, like the letterbox', () => {
    // 1440×1080 fits 384×288 inside 512×288: the scale is 288/1080, so τ = 4 × 1080/288.
    expect(toleranceFor({ width: 1440, height: 1080 })).toBeCloseTo(15, 12)
  })
})

describe('percentiles', () => {
  it('interpolates like numpy', () => {
    expect(percentile([], 50)).toBeNull()
    expect(percentile([7], 95)).toBe(7)
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5)
    const s = summariseDistances([4, 1, 3, 2, 10])
    // np.percentile([4, 1, 3, 2, 10], [50, 90, 95]) == [3, 7.6, 8.8]
    expect(s).toMatchObject({ count: 5, p50: 3 })
    expect(s.p90).toBeCloseTo(7.6, 12)
    expect(s.p95).toBeCloseTo(8.8, 12)
  })
})
