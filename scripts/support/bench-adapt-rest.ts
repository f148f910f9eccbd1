// Runs in plain Node (scripts/bench-adapt.ts): how much of the adapted models' shortfall on new-camera is a
// labelling convention. The new-camera labels call a shuttle that has landed visible for its first frames of rest
// (often about 40), then not visible though it still lies in the picture. A model that keeps seeing it scores an
// FP1 on every later frame; no picture can teach where the labels stop. Here those frames — labelled not
// visible, with the track's point within tolerance of a place where the labels had a shuttle at rest — are
// counted apart and left out of a second F1. An analysis column beside the real score, never instead of it.
import type { LabelPoint } from '../../src/shared/labels/types'

/** Labelled visible at the same place (within this many video pixels) from one labelled frame to the next… */
const REST_PX = 3
/** …for at least this many labelled frames in a row: a shuttle at rest. */
const REST_FRAMES = 10
/** Labelled frames further apart than this break a run. */
const REST_GAP = 2

/** The labelled positions of every shuttle at rest in a clip (all its labels, both halves). */
export function restSpots(labels: readonly LabelPoint[]): { x: number; y: number }[] {
  const visible = labels.filter((p) => p.visible).sort((a, b) => a.frame - b.frame)
  const spots: { x: number; y: number }[] = []
  let run: LabelPoint[] = []
  const close = (): void => {
    if (run.length >= REST_FRAMES) spots.push(...run.map((p) => ({ x: p.x, y: p.y })))
  }
  for (const p of visible) {
    const last = run[run.length - 1]
    const still =
      last &&
      p.frame - last.frame <= REST_GAP &&
      Math.abs(p.x - last.x) <= REST_PX &&
      Math.abs(p.y - last.y) <= REST_PX
    if (still) run.push(p)
    else {
      close()
      run = [p]
    }
  }
  close()
  return spots
}

/**
 * The labels without the frames where the track sees a shuttle the labels call not visible, at a place where
 * one lay (within `tolerance` of a rest spot), and how many those are.
 */
export function withoutLyingShuttle(
  track: readonly LabelPoint[],
  labels: readonly LabelPoint[],
  spots: readonly { x: number; y: number }[],
  tolerance: number
): { labels: LabelPoint[]; left: number } {
  const at = new Map(track.map((p) => [p.frame, p]))
  const kept = labels.filter((l) => {
    const p = at.get(l.frame)
    if (l.visible || !p?.visible) return true
    return !spots.some((s) => Math.hypot(p.x - s.x, p.y - s.y) <= tolerance)
  })
  return { labels: kept, left: labels.length - kept.length }
}
