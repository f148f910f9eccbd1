// Runs in plain Node (scripts/bench-adapt.ts): the label-efficiency manifests. Each clip of the new camera is cut
// in two by time: N labelled frames are taken evenly from the first halves (all clips together, so each clip
// gives its share), and the second halves are the test, scored by the app after adaptation (secondHalfPoints).
// Of the N frames, the last quarter of each clip's (by time, as adapt-split.ts holds back one clip's labels)
// is what adaptation holds back for early stopping and its threshold; the rest it trains on. So the test
// frames never steer the run, and N counts every label the run sees, as a user's N labels would.
import type { ManifestClip, AdaptManifest } from '../../src/backend/adapt/adapt-manifest'
import { manifestClip } from '../../src/backend/adapt/adapt-manifest'
import { takeEvenly, timeSplitFrom } from '../../src/backend/adapt/adapt-split'
import type { RootTruth, TruthRow } from '../../src/backend/adapt/adapt-truth'
import type { LabelPoint } from '../../src/shared/labels/types'

/** The first frame of a clip's second half. */
export const halfOf = (frames: number): number => Math.floor(frames / 2)

/** 'all' or a number of labelled frames to train on. */
export type LabelBudget = number | 'all'

export function halvesManifest(truth: RootTruth, n: LabelBudget): AdaptManifest {
  const firstHalves = truth.clips.flatMap((c, clip) =>
    c.rows.filter((r) => r.frame < halfOf(c.frames)).map((row) => ({ clip, row }))
  )
  const kept = takeEvenly(firstHalves, n === 'all' ? undefined : n)
  const labelled = truth.clips.map((): TruthRow[] => [])
  for (const k of kept) labelled[k.clip]!.push(k.row)
  const clips: ManifestClip[] = truth.clips.map((c, i) => {
    const rows = labelled[i]!
    const from = timeSplitFrom(rows.map((r) => r.frame)) ?? Infinity
    return manifestClip(
      c,
      rows.filter((r) => r.frame < from),
      rows.filter((r) => r.frame >= from)
    )
  })
  return { version: 1, root: truth.root, clips }
}

export function secondHalf(c: RootTruth['clips'][number]): TruthRow[] {
  return c.rows.filter((r) => r.frame >= halfOf(c.frames))
}

/** A clip's second-half labels as label points, to score a track against. */
export function secondHalfPoints(c: RootTruth['clips'][number]): LabelPoint[] {
  return asPoints(secondHalf(c))
}

/** Truth rows as label points, to score a track against. */
export function asPoints(rows: readonly TruthRow[]): LabelPoint[] {
  return rows.map((r) => ({ frame: r.frame, visible: r.visible, x: r.x, y: r.y }))
}

export function trainFramesOf(m: AdaptManifest): number {
  return m.clips.reduce((s, c) => s + c.train.length, 0)
}

export function heldFramesOf(m: AdaptManifest): number {
  return m.clips.reduce((s, c) => s + c.held.length, 0)
}
