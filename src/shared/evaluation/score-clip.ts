// Runs everywhere (shared): scores one clip's track against its ground truth with the shared TrackNet metrics
// (src/shared/metrics) — the counts at both tolerances exactly as `shuttle-studio eval` makes them
// (evaluateTrack), and the outcome and distance of every frame for the timeline and the worst-frame lists
// (classifyFrame, the function evaluateTrack itself applies per frame).
import type { LabelPoint, VideoSize } from '../labels/types'
import { classifyFrame } from '../metrics/counts'
import { evaluateTrack, type TrackEvaluation } from '../metrics/evaluate'
import { toleranceFor } from '../metrics/tolerance'
import { NOT_EVALUATED, outcomeCode } from './outcome-codes'

export interface ClipScore {
  /** τ from `px` at 512×288 scaled to the video (the TrackNet definition). */
  tracknet: TrackEvaluation
  /** τ = `px` at the video's own resolution. */
  strict: TrackEvaluation
  /** Per frame: the outcome code at the TrackNet tolerance, NOT_EVALUATED where there is no ground truth. */
  outcomes: Int8Array
  /** Per frame: prediction-to-label distance in video pixels where both are visible, else NaN. */
  distances: Float32Array
}

/**
 * Predictions as `shuttle-studio track` writes them (three decimals): the command line scores those files, so
 * the studio scores the same numbers and both print the same figures to the last digit. The labels come as the
 * clip's CSV holds them already (groundTruthOf).
 */
function asWritten(p: LabelPoint): LabelPoint {
  const q = (v: number): number => Number(v.toFixed(3))
  return p.visible ? { frame: p.frame, visible: true, x: q(p.x), y: q(p.y) } : { ...p, x: 0, y: 0 }
}

export function scoreClip(
  predictions: readonly LabelPoint[],
  labels: readonly LabelPoint[],
  frameCount: number,
  video: VideoSize,
  px: number
): ClipScore {
  const pred = predictions.map(asWritten)
  const gt = labels.map((p) => (p.visible ? p : { ...p, x: 0, y: 0 }))
  const tracknetTau = toleranceFor(video, { mode: 'tracknet', px })
  const tracknet = evaluateTrack(pred, gt, tracknetTau)
  const strict = evaluateTrack(pred, gt, toleranceFor(video, { mode: 'strict', px }))

  let frames = frameCount
  for (const p of gt) frames = Math.max(frames, p.frame + 1)
  const outcomes = new Int8Array(frames).fill(NOT_EVALUATED)
  const distances = new Float32Array(frames).fill(Number.NaN)
  // First row per frame wins, as evaluateTrack decides.
  const predAt: (LabelPoint | undefined)[] = new Array(frames)
  for (const p of pred) if (p.frame < frames && !predAt[p.frame]) predAt[p.frame] = p
  const seen = new Uint8Array(frames)
  for (const label of gt) {
    if (seen[label.frame]) continue
    seen[label.frame] = 1
    const r = classifyFrame(predAt[label.frame], label, tracknetTau)
    outcomes[label.frame] = outcomeCode(r.outcome)
    if (r.distance !== null) distances[label.frame] = r.distance
  }
  return { tracknet, strict, outcomes, distances }
}
