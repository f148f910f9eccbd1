// Runs in Node (Vitest): the metrics against a clip worked out by hand (tests/fixtures/metrics/README.md):
// every outcome, a distance exactly at τ, a missing prediction row, an out-of-order row, an unlabelled one.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readLabelCsv } from '@shared/labels/read'
import { evaluateTrack } from '@shared/metrics/evaluate'
import { summarise } from '@shared/metrics/summary'
import { toleranceFor } from '@shared/metrics/tolerance'

const dir = path.join(__dirname, '..', '..', 'fixtures', 'metrics')
const read = (name: string) => readLabelCsv(readFileSync(path.join(dir, name), 'utf8')).points
const labels = read('clip_ball.csv')
const predictions = read('clip_pred.csv')
const HD = { width: 1280, height: 720 }

describe('metrics on the hand-computed fixture', () => {
  it('counts each outcome as worked out by hand at the TrackNet tolerance (10 px at 1280×720)', () => {
    const tau = toleranceFor(HD)
    expect(tau).toBe(10)
    const e = evaluateTrack(predictions, labels, tau)
    // By hand: TP = frames 0 (d = 10 = τ, inside since within means <=), 5, 8; FP1 = 1; FP2 = 2; FN = 3 and 6
    // (6 has no prediction row); TN = 4 and 7.
    expect(e.counts).toEqual({ TP: 3, FP1: 1, FP2: 1, FN: 2, TN: 2 })
    expect(e.missingPredictions).toBe(2)
    expect(e.unlabelledPredictions).toBe(1)
    expect(e.tpDistances).toEqual([10, 5, 0])
    const s = summarise([e])
    expect(s.frames).toBe(9)
    expect(s.precision).toBeCloseTo(3 / 5, 12)
    expect(s.recall).toBeCloseTo(3 / 5, 12)
    expect(s.F1).toBeCloseTo(0.6, 12)
    expect(s.accuracy).toBeCloseTo(5 / 9, 12)
    // TP distances 0, 5, 10: linear interpolation between ranks.
    expect(s.distance).toEqual({ count: 3, p50: 5, p90: 9, p95: 9.5 })
  })

  it('counts a distance just beyond τ as FP1', () => {
    const e = evaluateTrack(predictions, labels, 9.999)
    expect(e.counts).toEqual({ TP: 2, FP1: 2, FP2: 1, FN: 2, TN: 2 })
  })

  it('counts by hand in strict mode (4 px at the video resolution)', () => {
    const tau = toleranceFor(HD, { mode: 'strict' })
    expect(tau).toBe(4)
    const e = evaluateTrack(predictions, labels, tau)
    expect(e.counts).toEqual({ TP: 1, FP1: 3, FP2: 1, FN: 2, TN: 2 })
    const s = summarise([e])
    expect(s.precision).toBeCloseTo(1 / 5, 12)
    expect(s.recall).toBeCloseTo(1 / 3, 12)
    expect(s.F1).toBeCloseTo((2 * (1 / 5) * (1 / 3)) / (1 / 5 + 1 / 3), 12)
  })
})
