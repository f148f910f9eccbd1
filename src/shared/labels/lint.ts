// Runs everywhere (shared): the checks across rows of a label file — duplicate, out-of-order and missing
// frames, and the row count against the video's frame count. Reports only; the points are left as they are.
import { IssueList } from './issues'
import type { LabelIssue, RowPoint } from './types'

export interface LintOptions {
  /** The video's frame count: frames must then be exactly 0..frameCount-1. */
  frameCount?: number
  maxIssuesPerCode?: number
}

export function lintRows(points: readonly RowPoint[], options: LintOptions = {}): LabelIssue[] {
  const issues = new IssueList(options.maxIssuesPerCode)
  lintRowsInto(points, issues, options.frameCount)
  return issues.list()
}

export function lintRowsInto(points: readonly RowPoint[], issues: IssueList, frameCount?: number): void {
  const firstRow = new Map<number, number>()
  let previous: RowPoint | null = null
  for (const p of points) {
    const seen = firstRow.get(p.frame)
    if (seen !== undefined) {
      issues.add(
        p.row,
        'duplicate-frame',
        'error',
        `Frame ${p.frame} again (first on line ${seen}).`,
        p.frame
      )
    } else {
      firstRow.set(p.frame, p.row)
    }
    if (previous && p.frame < previous.frame) {
      const msg = `Frame ${p.frame} comes after frame ${previous.frame} (line ${previous.row}): out of order.`
      issues.add(p.row, 'out-of-order', 'warning', msg, p.frame)
    }
    if (frameCount !== undefined && p.frame >= frameCount) {
      const msg = `Frame ${p.frame} is beyond the video, which has ${frameCount} frames (0..${frameCount - 1}).`
      issues.add(p.row, 'frame-beyond-video', 'error', msg, p.frame)
    }
    previous = p
  }
  missingFrames(firstRow, issues, frameCount)
  if (frameCount !== undefined && points.length !== frameCount) {
    const msg = `${points.length} rows for a video of ${frameCount} frames: expected one row per frame.`
    issues.add(0, 'row-count', 'error', msg)
  }
}

/** Gaps in 0..end-1, one issue per gap, on the line of the first frame after it (0 when the gap ends the file). */
function missingFrames(firstRow: Map<number, number>, issues: IssueList, frameCount?: number): void {
  const frames = [...firstRow.keys()].sort((a, b) => a - b)
  const end = frameCount ?? (frames.length ? (frames[frames.length - 1] ?? 0) + 1 : 0)
  let expected = 0
  const report = (from: number, to: number, row: number): void => {
    const n = to - from + 1
    const what = n === 1 ? `Frame ${from} is missing.` : `Frames ${from}–${to} are missing (${n} frames).`
    issues.add(row, 'missing-frames', 'error', what, from)
  }
  for (const f of frames) {
    if (f >= end) break
    if (f > expected) report(expected, f - 1, firstRow.get(f) ?? 0)
    expected = f + 1
  }
  if (expected < end) report(expected, end - 1, 0)
}
