// Runs in the backend (plain Node): whether a label file about to be imported with the studio's frame numbers
// may have been numbered by OpenCV's seek instead. On a video that drops frames the two numberings part (by
// up to 17 frames on a lab camera's clip, training/RESULTS.md), and nothing in a TrackNet CSV says which one
// it uses: imported as numbered, such labels sit on pictures the shuttle left a moment ago. So the import
// says how many labels OpenCV numbering would move and, where the clip has the tracker's track, which of the
// two numberings puts more of the file's visible labels on the track.
import type { LabelPoint } from '../../shared/labels/types'
import { VISIBLE, type ClipColumns } from '../../shared/project/columns'
import { sourceCode } from '../../shared/project/frame-state'
import { renumberFromOpenCv } from '../video/opencv-frame-numbers'

export interface NumberingHint {
  /** Labels OpenCV numbering would move to another picture, and the largest move (frames). */
  moves: number
  maxShift: number
  /** The file's visible labels on the tracker's track (within the tolerance), as numbered and moved; null
   *  where the clip has too little track to tell. */
  track: { compared: number; asNumbered: number; opencv: number } | null
}

/** Fewer of the file's visible labels with a track row to compare against say nothing about the numbering. */
export const MIN_TRACK_COMPARED = 20

const MODEL = sourceCode('model')

/** null when OpenCV numbering would move no label (a video without dropped frames, or labels before them). */
export function numberingHint(
  points: readonly LabelPoint[],
  shown: Int32Array,
  columns: ClipColumns,
  tolerance: number
): NumberingHint | null {
  const moved = renumberFromOpenCv(points, shown)
  if (moved.moved === 0) return null
  const onTrack = (f: number, p: LabelPoint): boolean | null => {
    if (f < 0 || f >= columns.frameCount || columns.source[f] !== MODEL) return null
    if (columns.visibility[f] !== VISIBLE) return false
    return Math.hypot(columns.x[f]! - p.x, columns.y[f]! - p.y) <= tolerance
  }
  // Only labels with a track row at their frame under both numberings count, so both shares count the same.
  let compared = 0
  let asNumbered = 0
  let opencv = 0
  for (const p of points) {
    if (!p.visible) continue
    const a = onTrack(p.frame, p)
    const b = onTrack(p.frame < shown.length ? shown[p.frame]! : -1, p)
    if (a === null || b === null) continue
    compared++
    if (a) asNumbered++
    if (b) opencv++
  }
  const track = compared >= MIN_TRACK_COMPARED ? { compared, asNumbered, opencv } : null
  return { moves: moved.moved, maxShift: moved.maxShift, track }
}
