// Runs everywhere (shared): the per-frame outcome of the TrackNet metrics (docs/ARCHITECTURE.md "Metrics")
// and the counts it adds up to. "Within τ" means distance <= τ (as training/shuttle_training/metrics.py).
import type { LabelPoint } from '../labels/types'

export interface Counts {
  TP: number
  FP1: number
  FP2: number
  FN: number
  TN: number
}

export type Outcome = keyof Counts

export function emptyCounts(): Counts {
  return { TP: 0, FP1: 0, FP2: 0, FN: 0, TN: 0 }
}

export function addCounts(into: Counts, other: Counts): Counts {
  into.TP += other.TP
  into.FP1 += other.FP1
  into.FP2 += other.FP2
  into.FN += other.FN
  into.TN += other.TN
  return into
}

export interface FrameOutcome {
  outcome: Outcome
  /** Prediction-to-label distance in video pixels when both are visible, else null. */
  distance: number | null
}

/**
 * predicted & labelled visible, d <= τ → TP; both visible, d > τ → FP1; predicted visible, label not → FP2;
 * label visible, predicted not → FN; neither → TN. A missing prediction (undefined) is "not visible".
 */
export function classifyFrame(
  pred: LabelPoint | undefined,
  label: LabelPoint,
  tolerance: number
): FrameOutcome {
  const predicted = pred?.visible ?? false
  if (predicted && pred && label.visible) {
    const distance = Math.hypot(pred.x - label.x, pred.y - label.y)
    return { outcome: distance <= tolerance ? 'TP' : 'FP1', distance }
  }
  if (predicted) return { outcome: 'FP2', distance: null }
  return { outcome: label.visible ? 'FN' : 'TN', distance: null }
}
