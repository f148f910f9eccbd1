// Runs in Node (Vitest): the held-back split and --max-frames thinning adaptation uses — whole clips holding
// about a fifth of the labels where three or more clips have labels (at least one clip, never all of them),
// else the last quarter of each clip by time, and frames taken evenly — checked on examples and, with
// fast-check, on any counts.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  clipsToHoldBack,
  MIN_CLIPS_HELD_WHOLE,
  takeEvenly,
  timeSplitFrom
} from '../../../src/backend/adapt/adapt-split'

describe('clipsToHoldBack', () => {
  it('holds back the clips nearest a fifth of the labels', () => {
    expect([...clipsToHoldBack([100, 100, 100, 100, 100])]).toEqual([4])
    expect([...clipsToHoldBack([300, 40, 60])]).toEqual([2])
    expect([...clipsToHoldBack([300, 40, 45])].sort()).toEqual([1, 2])
    // Only the labelled clips count: the unlabelled one is never "held back".
    expect([...clipsToHoldBack([0, 50, 50, 50])]).toEqual([3])
  })

  it('holds back one whole clip even when it is more than a fifth, and never every labelled clip', () => {
    expect([...clipsToHoldBack([400, 500, 600])]).toEqual([0])
    expect([...clipsToHoldBack([500, 500, 500])]).toEqual([2])
  })

  it('holds nothing back by clip where fewer than three clips have labels (they are split by time)', () => {
    expect(MIN_CLIPS_HELD_WHOLE).toBe(3)
    expect(clipsToHoldBack([]).size).toBe(0)
    expect(clipsToHoldBack([120]).size).toBe(0)
    expect(clipsToHoldBack([0, 120, 0]).size).toBe(0)
    expect(clipsToHoldBack([10, 500]).size).toBe(0)
    expect(clipsToHoldBack([0, 500, 0, 500]).size).toBe(0)
  })

  it('for any counts: at least one clip held, one left to train on, only labelled clips', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 2000 }), { maxLength: 12 }), (counts) => {
        const held = clipsToHoldBack(counts)
        const labelled = counts.filter((n) => n > 0).length
        if (labelled < MIN_CLIPS_HELD_WHOLE) return held.size === 0
        const trained = counts.filter((n, i) => n > 0 && !held.has(i)).length
        return held.size >= 1 && trained >= 1 && [...held].every((i) => counts[i]! > 0)
      })
    )
  })
})

describe('timeSplitFrom', () => {
  it('holds back the last quarter of the labelled frames (at least one)', () => {
    expect(timeSplitFrom([0, 1, 2, 3, 4, 5, 6, 7])).toBe(6)
    // Sparse labels: a quarter of the labelled frames, not of the clip.
    expect(timeSplitFrom([0, 10, 20, 30, 400])).toBe(30)
    expect(timeSplitFrom([7])).toBe(7)
    expect(timeSplitFrom([])).toBeNull()
  })
})

describe('takeEvenly', () => {
  it('keeps everything up to n, else n spread over the whole list in order', () => {
    const items = Array.from({ length: 100 }, (_, i) => i)
    expect(takeEvenly(items, undefined)).toEqual(items)
    expect(takeEvenly(items, 100)).toEqual(items)
    expect(takeEvenly(items, 4)).toEqual([12, 37, 62, 87])
  })

  it('for any list and n: n distinct items, ascending, spread over the list', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 500 }), (len, n) => {
        const items = Array.from({ length: len }, (_, i) => i)
        const got = takeEvenly(items, n)
        if (got.length !== Math.min(n, len)) return false
        if (got.some((v, i) => i > 0 && v <= got[i - 1]!)) return false
        // No gap between kept items is more than one step longer than even spacing would give.
        return got.length < 2 || got.every((v, i) => i === 0 || v - got[i - 1]! <= Math.ceil(len / n) + 1)
      })
    )
  })
})
