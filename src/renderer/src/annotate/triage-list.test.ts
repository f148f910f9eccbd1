// Runs in Node (Vitest): the look list groups the triage queue into runs a person can read, finds the entry of
// the current frame, and shows a window around it that always holds that entry.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { TriageReason } from './triage'
import { runIndexAt, triageRuns, triageWindow, type TriageRun } from './triage-list'

describe('triageRuns', () => {
  it('joins neighbouring frames of one reason and splits at a gap or a new reason', () => {
    const frames = [0, 1, 2, 5, 6, 7, 8, 20]
    const reasons: TriageReason[] = [
      'unlabelled',
      'unlabelled',
      'unlabelled',
      'jump',
      'low-confidence',
      'low-confidence',
      'gap',
      'gap'
    ]
    expect(triageRuns(frames, reasons)).toEqual([
      { from: 0, to: 2, reason: 'unlabelled' },
      { from: 5, to: 5, reason: 'jump' },
      { from: 6, to: 7, reason: 'low-confidence' },
      { from: 8, to: 8, reason: 'gap' },
      { from: 20, to: 20, reason: 'gap' }
    ])
    expect(triageRuns([], [])).toEqual([])
  })

  it('covers exactly the flagged frames, each with its own reason', () => {
    const reasonArb = fc.constantFrom<TriageReason>('unlabelled', 'jump', 'gap')
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), reasonArb)), (pairs) => {
        const byFrame = new Map(pairs)
        const frames = [...byFrame.keys()].sort((a, b) => a - b)
        const reasons = frames.map((f) => byFrame.get(f)!)
        const runs = triageRuns(frames, reasons)
        const covered = runs.flatMap((r) =>
          Array.from({ length: r.to - r.from + 1 }, (_, i) => [r.from + i, r.reason] as const)
        )
        expect(covered).toEqual(frames.map((f, i) => [f, reasons[i]]))
      })
    )
  })
})

describe('runIndexAt and triageWindow', () => {
  const runs: TriageRun[] = Array.from({ length: 100 }, (_, i) => ({
    from: i * 10,
    to: i * 10 + 3,
    reason: 'unlabelled'
  }))

  it('finds the run that holds a frame, and none between runs', () => {
    expect(runIndexAt(runs, 0)).toBe(0)
    expect(runIndexAt(runs, 13)).toBe(1)
    expect(runIndexAt(runs, 14)).toBe(-1)
    expect(runIndexAt(runs, 993)).toBe(99)
    expect(runIndexAt(runs, 5000)).toBe(-1)
    expect(runIndexAt([], 3)).toBe(-1)
  })

  it('shows the whole list when it is short', () => {
    expect(triageWindow(runs.slice(0, 5), 40, 10)).toEqual({ runs: runs.slice(0, 5), before: 0, after: 0 })
  })

  it('centres a long list on the current frame and keeps its ends in range', () => {
    expect(triageWindow(runs, 500, 10)).toEqual({ runs: runs.slice(45, 55), before: 45, after: 45 })
    expect(triageWindow(runs, 0, 10)).toEqual({ runs: runs.slice(0, 10), before: 0, after: 90 })
    expect(triageWindow(runs, 99_999, 10)).toEqual({ runs: runs.slice(90), before: 90, after: 0 })
  })

  it('always holds the run of the current frame', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 1, max: 30 }), (frame, limit) => {
        const w = triageWindow(runs, frame, limit)
        expect(w.runs.length).toBe(Math.min(limit, runs.length))
        expect(w.before + w.runs.length + w.after).toBe(runs.length)
        const at = runIndexAt(runs, frame)
        if (at >= 0) expect(w.runs).toContain(runs[at])
      })
    )
  })
})
