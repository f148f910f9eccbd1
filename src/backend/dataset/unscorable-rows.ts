// Runs in the backend (plain Node): which label issues make a clip unscorable. Scoring ground truth that puts
// the shuttle at x = 1e12, at a negative position or off the picture, or that lost rows it could not read
// (NaN, inf, a blank position on a visible row, a frame that is not a number), would print figures that look
// fine and mean nothing; such a clip is refused with every offending file:line instead. Repeated, missing and
// unsorted frames stay warnings: the metrics handle them deterministically (first row wins, a missing label is
// not scored).
import type { LabelIssue, LabelIssueCode } from '../../shared/labels/types'

/** Rows the reader could not read and left out (severity 'error' on a line). */
const UNREADABLE: ReadonlySet<LabelIssueCode> = new Set([
  'missing-columns',
  'frame-not-number',
  'frame-not-integer',
  'frame-negative',
  'visibility-not-number',
  'coordinate-not-number'
])

/** Visible positions that no pixel of the video can have. */
const OFF_PICTURE: ReadonlySet<LabelIssueCode> = new Set([
  'coordinate-negative',
  'coordinate-huge',
  'coordinate-off-frame',
  'normalised-out-of-range'
])

/** The rows the reader left out because it could not read them, each with its line. */
export function unreadableRows(issues: readonly LabelIssue[]): LabelIssue[] {
  return issues.filter((i) => i.row > 0 && i.severity === 'error' && UNREADABLE.has(i.code))
}

export type Role = 'labels' | 'predictions'

/**
 * The issues that refuse the clip. Ground truth must be readable and on the picture; predictions must be
 * readable (an off-picture prediction is a wrong answer, scored as such, not a broken file).
 */
export function unscorableIssues(issues: readonly LabelIssue[], role: Role): LabelIssue[] {
  const offPicture = role === 'labels' ? issues.filter((i) => i.row > 0 && OFF_PICTURE.has(i.code)) : []
  return [...unreadableRows(issues), ...offPicture].sort((a, b) => a.row - b.row)
}

/** One message naming each offending line as file:line (the first few, then a count). */
export function describeUnscorable(file: string, role: Role, bad: readonly LabelIssue[], max = 3): string {
  const shown = bad.slice(0, max).map((i) => `${file}:${i.row}: ${i.message}`)
  const more = bad.length > max ? ` (and ${bad.length - max} more such lines)` : ''
  const what =
    role === 'labels'
      ? 'ground truth with unreadable rows or positions outside the video'
      : 'predictions with unreadable rows'
  return `${file}: ${what}; clip not scored, fix the file: ${shown.join(' | ')}${more}`
}
