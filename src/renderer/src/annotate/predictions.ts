// Runs in the renderer: turns the tracker's points into one label edit that fills the frames nobody has
// labelled yet (source 'model', unreviewed, confidence kept). A person's labels — and any label already
// there — are left alone, so running the tracker never overwrites work (docs/USERS.md point 8).
import { UNKNOWN, type ClipColumns } from '../../../shared/project/columns'
import type { FramePatch, LabelEdit } from '../../../shared/project/schemas'

export interface PredictedPoint {
  frame: number
  visible: boolean
  x: number
  y: number
  confidence: number
}

export function predictionsEdit(
  c: ClipColumns,
  points: readonly (PredictedPoint | undefined)[]
): { edit: LabelEdit | null; frames: number } {
  const patches: FramePatch[] = []
  let filled = 0
  let last = -1
  for (let f = 0; f < c.frameCount; f++) {
    const p = points[f]
    if (!p || c.visibility[f] !== UNKNOWN) {
      patches.push({})
      continue
    }
    const confidence = Math.min(1, Math.max(0, p.confidence))
    patches.push(
      p.visible
        ? { visibility: 'visible', x: p.x, y: p.y, source: 'model', review: 'unreviewed', confidence }
        : { visibility: 'hidden', source: 'model', review: 'unreviewed', confidence }
    )
    filled++
    last = f
  }
  if (filled === 0) return { edit: null, frames: 0 }
  return {
    edit: {
      kind: 'frames',
      from: 0,
      patches: patches.slice(0, last + 1),
      what: `Fill ${filled} frames from the tracker`
    },
    frames: filled
  }
}
