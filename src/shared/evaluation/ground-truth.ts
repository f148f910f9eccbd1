// Runs everywhere (shared): which of a clip's labels are ground truth for an evaluation. A model is only
// scored against what people said: an unreviewed model prediction or interpolation in the project would score
// the model against itself. Frames nobody labelled ('unknown') are never ground truth — they are left out, not
// counted as "not visible". Positions are those the clip's CSV holds, which `shuttle-studio eval` reads: a row
// read from a file exactly as it was, a label made in the studio to the three decimals the studio writes.
import type { LabelPoint } from '../labels/types'
import { UNKNOWN, VISIBLE, type ClipColumns } from '../project/columns'
import { isReviewed, sourceCode } from '../project/frame-state'

/**
 * - 'people' (the default): labels a person made in the studio ('human'), labels read from a label file
 *   ('imported': a TrackNet dataset's CSV is people's work, and it is what `shuttle-studio eval` scores
 *   against), and any label a person reviewed (accepted, corrected or verified).
 * - 'reviewed': only labels a person reviewed in the studio (accepted, corrected or verified).
 */
export const GROUND_TRUTH_POLICIES = ['people', 'reviewed'] as const
export type GroundTruthPolicy = (typeof GROUND_TRUTH_POLICIES)[number]

const HUMAN = sourceCode('human')
const IMPORTED = sourceCode('imported')

const threeDecimals = (v: number): number => Number(v.toFixed(3))

export function isGroundTruth(c: ClipColumns, f: number, policy: GroundTruthPolicy): boolean {
  if ((c.visibility[f] ?? UNKNOWN) === UNKNOWN) return false
  if (isReviewed(c.review[f] ?? 0)) return true
  if (policy === 'reviewed') return false
  const s = c.source[f]
  return s === HUMAN || s === IMPORTED
}

export interface GroundTruth {
  /** The ground-truth frames as label points, in frame order. */
  points: LabelPoint[]
  /** Labelled frames left out because no person made or accepted them (unreviewed model or interpolated). */
  notByPeople: number
  /** Frames nobody labelled. */
  unknown: number
}

export function groundTruthOf(c: ClipColumns, policy: GroundTruthPolicy): GroundTruth {
  const points: LabelPoint[] = []
  let notByPeople = 0
  let unknown = 0
  for (let f = 0; f < c.frameCount; f++) {
    if (c.visibility[f] === UNKNOWN) unknown++
    else if (!isGroundTruth(c, f, policy)) notByPeople++
    else {
      const visible = c.visibility[f] === VISIBLE
      const asInFile = c.source[f] === IMPORTED ? (v: number) => v : threeDecimals
      points.push({
        frame: f,
        visible,
        x: visible ? asInFile(c.x[f]!) : 0,
        y: visible ? asInFile(c.y[f]!) : 0
      })
    }
  }
  return { points, notByPeople, unknown }
}
