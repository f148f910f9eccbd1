// Runs in Node (Vitest): the evaluation's pure pieces on hand-made cases — ground truth by who labelled a frame,
// the per-frame codes and their wire form, error runs and their ranking, the A/B comparison — where every
// expected value can be counted by eye.
import { describe, expect, it } from 'vitest'
import { groundTruthOf } from '@shared/evaluation/ground-truth'
import {
  decodeDistances,
  decodeOutcomes,
  encodeDistances,
  encodeOutcomes,
  outcomeCode
} from '@shared/evaluation/outcome-codes'
import { compareOutcomes, errorRuns, rankErrorRuns } from '@shared/evaluation/runs'
import { scoreClip } from '@shared/evaluation/score-clip'
import { evaluateTrack } from '@shared/metrics'
import { createColumns, setFrame } from '@shared/project/columns'

/** Outcomes by letter: p TP, n TN, f FP1, g FP2, m FN (missed), . not evaluated. */
const LETTERS = { p: 'TP', n: 'TN', f: 'FP1', g: 'FP2', m: 'FN' } as const
const codes = (s: string): Int8Array =>
  Int8Array.from([...s].map((ch) => (ch === '.' ? -1 : outcomeCode(LETTERS[ch as keyof typeof LETTERS]))))

describe('ground truth', () => {
  it('keeps what people made, imported or reviewed; never unknown frames', () => {
    const c = createColumns(6)
    setFrame(c, 0, { visibility: 'visible', x: 1, y: 2, source: 'human', review: 'corrected' })
    setFrame(c, 1, { visibility: 'hidden', source: 'imported' })
    setFrame(c, 2, { visibility: 'visible', x: 3, y: 4, source: 'model', review: 'unreviewed' })
    setFrame(c, 3, { visibility: 'visible', x: 5, y: 6, source: 'model', review: 'accepted' })
    setFrame(c, 4, { visibility: 'visible', x: 7, y: 8, source: 'interpolated', review: 'unreviewed' })
    const people = groundTruthOf(c, 'people')
    expect(people.points.map((p) => p.frame)).toEqual([0, 1, 3])
    expect(people).toMatchObject({ notByPeople: 2, unknown: 1 })
    expect(people.points[1]).toEqual({ frame: 1, visible: false, x: 0, y: 0 })
    const reviewed = groundTruthOf(c, 'reviewed')
    expect(reviewed.points.map((p) => p.frame)).toEqual([0, 3])
    expect(reviewed.notByPeople).toBe(3)
  })
})

describe('per-frame outcomes', () => {
  it('round-trips codes and distances through their wire form', () => {
    const c = codes('pnfgm.')
    expect(encodeOutcomes(c)).toBe('10423.')
    expect([...decodeOutcomes(encodeOutcomes(c))]).toEqual([...c])
    expect(() => decodeOutcomes('1x')).toThrow(/Frame 1 has outcome "x"/)
    const d = Float32Array.from([1.5, Number.NaN, 300.25])
    const back = decodeDistances(encodeDistances(d), 3)
    expect([back[0], Number.isNaN(back[1]!), back[2]]).toEqual([1.5, true, 300.25])
    expect(() => decodeDistances(encodeDistances(d), 4)).toThrow(/expected 16/)
  })

  it('scores a clip as evaluateTrack does, frame by frame, at positions as a CSV holds them', () => {
    // τ = 4 px at 512×288 = 10 px at 1280×720.
    const labels = [0, 1, 2, 3, 4].map((f) => ({ frame: f, visible: f !== 4, x: 100, y: 100 }))
    const preds = [
      { frame: 0, visible: true, x: 110.0004, y: 100 }, // 10.0004 px: 110.000 as written, so within τ
      { frame: 1, visible: true, x: 111, y: 100 },
      { frame: 2, visible: false, x: 0, y: 0 },
      { frame: 4, visible: true, x: 5, y: 5 }
    ]
    const s = scoreClip(preds, labels, 6, { width: 1280, height: 720 }, 4)
    expect(s.tracknet.tolerance).toBe(10)
    expect(s.strict.tolerance).toBe(4)
    expect(s.tracknet.counts).toEqual({ TP: 1, FP1: 1, FP2: 1, FN: 2, TN: 0 })
    expect(s.strict.counts).toEqual({ TP: 0, FP1: 2, FP2: 1, FN: 2, TN: 0 })
    expect(encodeOutcomes(s.outcomes)).toBe('14332.') // frame 3: no prediction row → FN
    expect(s.distances[0]).toBeCloseTo(10, 5)
    expect(s.distances[1]).toBeCloseTo(11, 5)
    expect(Number.isNaN(s.distances[2]!)).toBe(true)
    expect(s.tracknet.counts).toEqual(
      evaluateTrack(
        preds.map((p) => ({ ...p, x: Number(p.x.toFixed(3)) })),
        labels,
        10
      ).counts
    )
  })
})

describe('runs', () => {
  it('groups consecutive equal errors, breaks at other outcomes and unscored frames, and ranks worst first', () => {
    const o = codes('ffpmm.mggnf')
    const d = Float32Array.from([20, 50, 2, NaN, NaN, NaN, NaN, NaN, NaN, NaN, 30])
    const runs = errorRuns(o, d)
    expect(runs.map((r) => [r.outcome, r.from, r.to, r.frame, r.distance])).toEqual([
      ['FP1', 0, 1, 1, 50],
      ['FN', 3, 4, 3, null],
      ['FN', 6, 6, 6, null],
      ['FP2', 7, 8, 7, null],
      ['FP1', 10, 10, 10, 30]
    ])
    const ranked = rankErrorRuns(runs, 1)
    expect(ranked.map((r) => [r.outcome, r.from])).toEqual([
      ['FP1', 0],
      ['FN', 3],
      ['FP2', 7]
    ])
  })

  it('counts the frames only A, only B, both or neither get right, and lists them as runs', () => {
    const a = codes('ppmmnn.f')
    const b = codes('pmmpgn.n')
    const r = compareOutcomes(a, b)
    expect(r.counts).toEqual({ onlyA: 2, onlyB: 2, bothRight: 2, bothWrong: 1 })
    expect(r.runs).toEqual([
      { right: 'A', from: 1, to: 1 },
      { right: 'B', from: 3, to: 3 },
      { right: 'A', from: 4, to: 4 },
      { right: 'B', from: 7, to: 7 }
    ])
  })
})
