// Runs everywhere (shared): the per-point checks of the CSV reader (src/shared/labels/parse.ts), for the
// formats it does not read (COCO, CVAT), so every import gets the same lint. Reports; changes nothing.
import { HUGE_COORDINATE } from '../../labels/parse'
import type { IssueList } from '../../labels/issues'
import type { RowPoint, VideoSize } from '../../labels/types'

export function checkPoints(points: readonly RowPoint[], issues: IssueList, video?: VideoSize): void {
  for (const p of points) {
    if (p.confidence !== undefined && !(p.confidence >= 0 && p.confidence <= 1)) {
      const msg = `Confidence ${p.confidence} is outside 0..1.`
      issues.add(p.row, 'confidence-out-of-range', 'warning', msg, p.frame)
    }
    if (!p.visible) continue
    const at = `(${p.x}, ${p.y})`
    if (p.x === 0 && p.y === 0) {
      const msg = 'Visible at (0, 0), the usual "no ball" placeholder: is the visibility flag inverted?'
      issues.add(p.row, 'visible-at-origin', 'warning', msg, p.frame)
    } else if (p.x < 0 || p.y < 0) {
      issues.add(p.row, 'coordinate-negative', 'warning', `Visible at ${at}: a negative position.`, p.frame)
    } else if (p.x > HUGE_COORDINATE || p.y > HUGE_COORDINATE) {
      issues.add(p.row, 'coordinate-huge', 'warning', `Visible at ${at}: no video is that large.`, p.frame)
    } else if (video && (p.x > video.width - 0.5 || p.y > video.height - 0.5)) {
      const msg = `Visible at ${at}, outside the ${video.width}×${video.height} frame.`
      issues.add(p.row, 'coordinate-off-frame', 'warning', msg, p.frame)
    }
  }
}

/**
 * COCO and CVAT list labelled frames only, so gaps and the "one row per frame" count are normal there; what is
 * checked is a frame labelled twice and a frame beyond the video.
 */
export function checkFrames(points: readonly RowPoint[], issues: IssueList, frameCount?: number): void {
  const first = new Map<number, number>()
  for (const p of points) {
    const seen = first.get(p.frame)
    if (seen !== undefined) {
      issues.add(p.row, 'duplicate-frame', 'error', `Frame ${p.frame} again (first at ${seen}).`, p.frame)
    } else first.set(p.frame, p.row)
    if (frameCount !== undefined && p.frame >= frameCount) {
      const msg = `Frame ${p.frame} is beyond the video, which has ${frameCount} frames (0..${frameCount - 1}).`
      issues.add(p.row, 'frame-beyond-video', 'error', msg, p.frame)
    }
  }
}
