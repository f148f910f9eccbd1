// Runs in Node (Vitest): the benchmark's split of the new camera's labels — N frames to train on taken evenly
// from the first half of each clip, every labelled frame of the second halves held back — on clips built here.
import { describe, expect, it } from 'vitest'
import type { ClipTruth, RootTruth } from '../../../src/backend/adapt/adapt-truth'
import { halvesManifest, trainFramesOf } from '../../../scripts/support/bench-adapt-data'

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
  it('trains on the first halves only and holds back every labelled frame of the second halves', () => {
    const m = halvesManifest(truth, 'all')
    expect(m.clips.map((c) => [c.train.length, c.held.length])).toEqual([
      [500, 500],
      [50, 50]
    ])
    for (const [i, half] of [500, 250].entries()) {
      expect(m.clips[i]!.train.every((r) => r[0] < half)).toBe(true)
      expect(m.clips[i]!.held.every((r) => r[0] >= half)).toBe(true)
    }
    expect(m.clips[0]!.train[1]).toEqual([1, 0, 0, 0])
    expect(m.clips[0]!.train[2]).toEqual([2, 1, 2.5, 4])
  })

  it('takes N frames evenly over both clips, keeping the same held-back frames for every N', () => {
    const all = halvesManifest(truth, 'all')
    for (const n of [50, 100, 200]) {
      const m = halvesManifest(truth, n)
      expect(trainFramesOf(m)).toBe(n)
      // Each clip gives its share of the first-half labels (500 : 50).
      expect(m.clips[1]!.train.length).toBeGreaterThanOrEqual(Math.floor(n / 11))
      expect(m.clips.map((c) => c.held)).toEqual(all.clips.map((c) => c.held))
    }
  })
})
