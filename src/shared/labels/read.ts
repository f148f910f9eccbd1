// Runs everywhere (shared): the one call to read a label or prediction CSV: parse every row, then lint across
// rows. The result holds the points exactly as written plus every issue found.
import { IssueList } from './issues'
import { lintRowsInto } from './lint'
import { parseRows } from './parse'
import type { ParsedLabels, VideoSize } from './types'

export interface ReadLabelsOptions {
  /** Needed for the normalised variant; enables the off-frame check. */
  video?: VideoSize
  /** Enables the row-count and beyond-the-video checks. */
  frameCount?: number
  /** Issues of one kind listed before the rest are only counted (default 20). */
  maxIssuesPerCode?: number
}

export function readLabelCsv(text: string, options: ReadLabelsOptions = {}): ParsedLabels {
  const issues = new IssueList(options.maxIssuesPerCode)
  const { format, points } = parseRows(text, issues, { video: options.video })
  if (format) lintRowsInto(points, issues, options.frameCount)
  return { format, points, issues: issues.list() }
}
