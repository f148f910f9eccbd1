// Runs in Node (Vitest): the benchmark's split of the new camera's labels — N frames taken evenly from the first
// half of each clip, the last quarter of each clip's held back, the second halves left for the test — on clips
// built here.
import { describe, expect, it } from 'vitest'
import type { ClipTruth, RootTruth } from '../../../src/backend/adapt/adapt-truth'
import { halvesManifest, heldFramesOf, trainFramesOf } from '../../../scripts/support/bench-adapt-data'

function clip(name: string, frames: number, labelled: (f: number) => boolean): ClipTruth {
  const rows = Array.from({ length: frames }, (_, f) => f)
    .filter(labelled)
    .map((f) => ({ frame: f, visible: f % 2 === 0, x: f + 0.5, y: 2 * f, reviewed: false }))
  return {
    match: 'm',
    clip: name,
    video: `/v/${name}.mp4`,
    fps: 119,
    width: 2048,
    height: 1536,
    frames,
    rows,
    badRows: 0,
    notByPeople: 0,
    from: 'csv'
  }
}

const truth: RootTruth = {
  root: '/data',
  studio: false,
  skipped: [],
  clips: [clip('a', 1000, () => true), clip('b', 500, (f) => f % 5 === 0)]
}

describe('the benchmark manifests', () => {
  it('uses the first halves only: the last quarter of each clip by time is held back, the rest trained on', () => {
    const m = halvesManifest(truth, 'all')
    expect(m.clips.map((c) => [c.train.length, c.held.length])).toEqual([
      [375, 125],
      [37, 13]
    ])
    for (const [i, half] of [500, 250].entries()) {
      const { train, held } = m.clips[i]!
      // The test frames (second halves) never steer the run: not trained on, not held back.
      expect([...train, ...held].every((r) => r[0] < half)).toBe(true)
      expect(Math.max(...train.map((r) => r[0]))).toBeLessThan(Math.min(...held.map((r) => r[0])))
    }
    expect(m.clips[0]!.train[1]).toEqual([1, 0, 0, 0])
    expect(m.clips[0]!.train[2]).toEqual([2, 1, 2.5, 4])
  })

  it('N counts every label the run sees, taken evenly over both clips', () => {
    for (const n of [50, 100, 200]) {
      const m = halvesManifest(truth, n)
      expect(trainFramesOf(m) + heldFramesOf(m)).toBe(n)
      // Each clip gives its share of the first-half labels (500 : 50), and holds back a quarter of it.
      expect(m.clips[1]!.train.length + m.clips[1]!.held.length).toBeGreaterThanOrEqual(Math.floor(n / 11))
      for (const c of m.clips) expect(c.held.length).toBe(Math.ceil((c.train.length + c.held.length) / 4))
    }
  })
})
