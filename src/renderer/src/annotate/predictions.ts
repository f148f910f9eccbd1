// Runs in the renderer: turns the tracker's points into one label edit — the frames nobody has labelled yet,
// and the frames that still hold an earlier track's unreviewed guess, become the tracker's labels (source
// 'model', unreviewed, confidence kept). Everything a person made, imported, interpolated or reviewed is left
// alone, so running the tracker never overwrites work (docs/USERS.md point 8).
import { HIDDEN, UNKNOWN, VISIBLE, type ClipColumns } from '@shared/project/columns'
import { reviewCode, sourceCode } from '@shared/project/frame-state'
import type { FramePatch, LabelEdit } from '@shared/project/schemas'

export interface PredictedPoint {
  frame: number
  visible: boolean
  x: number
  y: number
  confidence: number
}

const MODEL = sourceCode('model')
const UNREVIEWED = reviewCode('unreviewed')

/**
 * Whether the tracker may write frame f: it is unlabelled, or it is a model label nobody has reviewed (an
 * earlier track's guess, which a newer track replaces). Human, imported and interpolated labels never are,
 * nor is any reviewed label.
 */
export function trackerMayWrite(c: ClipColumns, f: number): boolean {
  if (c.visibility[f] === UNKNOWN) return true
  return c.source[f] === MODEL && c.review[f] === UNREVIEWED
}

/** True when frame f already says exactly what the patch for p would (re-tracking from the cache). */
function alreadySays(c: ClipColumns, f: number, p: PredictedPoint, confidence: number): boolean {
  if (c.source[f] !== MODEL || c.review[f] !== UNREVIEWED) return false
  if (c.confidence[f] !== Math.fround(confidence)) return false
  if (!p.visible) return c.visibility[f] === HIDDEN
  return c.visibility[f] === VISIBLE && c.x[f] === p.x && c.y[f] === p.y
}

export function predictionsEdit(
  c: ClipColumns,
  points: readonly (PredictedPoint | undefined)[]
): { edit: LabelEdit | null; frames: number } {
  const patches: FramePatch[] = []
  let filled = 0
  let first = -1
  let last = -1
  for (let f = 0; f < c.frameCount; f++) {
    const p = points[f]
    const confidence = p ? Math.min(1, Math.max(0, p.confidence)) : 0
    if (!p || !trackerMayWrite(c, f) || alreadySays(c, f, p, confidence)) {
      patches.push({})
      continue
    }
    patches.push(
      p.visible
        ? { visibility: 'visible', x: p.x, y: p.y, source: 'model', review: 'unreviewed', confidence }
        : { visibility: 'hidden', x: 0, y: 0, source: 'model', review: 'unreviewed', confidence }
    )
    filled++
    if (first < 0) first = f
    last = f
  }
  if (filled === 0) return { edit: null, frames: 0 }
  return {
    edit: {
      kind: 'frames',
      from: first,
      patches: patches.slice(first, last + 1),
      what: `Label ${filled} frames from the tracker`
    },
    frames: filled
  }
}
