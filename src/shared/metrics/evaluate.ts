// Runs everywhere (shared): scores one clip's predictions against its labels. The labelled frames are the
// ones evaluated: a labelled frame with no prediction row counts as predicted NOT visible; a prediction for a
// frame without a label is not counted (only reported). Where a file repeats a frame the first row wins —
// the label lint reports repeats, this only has to be deterministic.
import type { LabelPoint } from '../labels/types'
import { classifyFrame, emptyCounts, type Counts } from './counts'

export interface TrackEvaluation {
  counts: Counts
  /** τ used, video pixels. */
  tolerance: number
  /** Prediction-to-label distance of every TP, video pixels, in frame order. */
  tpDistances: number[]
  /** Labelled frames with no prediction row (counted as not visible). */
  missingPredictions: number
  /** Prediction rows for frames that have no label (not counted). */
  unlabelledPredictions: number
}

function firstByFrame(points: readonly LabelPoint[]): Map<number, LabelPoint> {
  const m = new Map<number, LabelPoint>()
  for (const p of points) if (!m.has(p.frame)) m.set(p.frame, p)
  return m
}

export function evaluateTrack(
  predictions: readonly LabelPoint[],
  labels: readonly LabelPoint[],
  tolerance: number
): TrackEvaluation {
  if (!(tolerance >= 0)) throw new RangeError(`Tolerance ${tolerance} is not a distance.`)
  const pred = firstByFrame(predictions)
  const gt = firstByFrame(labels)
  const counts = emptyCounts()
  const tpDistances: number[] = []
  let missingPredictions = 0
  const frames = [...gt.keys()].sort((a, b) => a - b)
  for (const f of frames) {
    const label = gt.get(f) as LabelPoint
    const p = pred.get(f)
    if (!p) missingPredictions++
    const { outcome, distance } = classifyFrame(p, label, tolerance)
    counts[outcome]++
    if (outcome === 'TP' && distance !== null) tpDistances.push(distance)
  }
  let unlabelledPredictions = 0
  for (const f of pred.keys()) if (!gt.has(f)) unlabelledPredictions++
  return { counts, tolerance, tpDistances, missingPredictions, unlabelledPredictions }
}
