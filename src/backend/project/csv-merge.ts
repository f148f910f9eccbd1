// Runs in the backend (plain Node): merges the rows of a clip's CSV found on disk (new, or changed since the
// studio last wrote it) into the clip's labels, and counts what that did. The file is the user's ground truth:
// a row that agrees with an unreviewed model or interpolated guess confirms it (it becomes 'imported', so it is
// scored and trained on like every other row of the file), a row that disagrees replaces the label. The file
// itself is never touched here.
import type { RowPoint } from '../../shared/labels/types'
import { isGroundTruth } from '../../shared/evaluation/ground-truth'
import { growColumns, setFrame, UNKNOWN, VISIBLE, type ClipColumns } from '../../shared/project/columns'
import { emptyMergeReport, type LabelMergeReport } from '../../shared/project/label-report'

/** Positions the studio wrote with three decimals read back within this of what it holds. */
const SAME_POSITION = 5e-4

export interface CsvMerge {
  grown: ClipColumns
  /** Distinct frames the file labels (a frame written twice counts once; the first row wins). */
  frames: number
  report: LabelMergeReport
}

export function mergeCsv(points: readonly RowPoint[], columns: ClipColumns, frameCount: number): CsvMerge {
  const maxFrame = points.reduce((m, p) => Math.max(m, p.frame), -1)
  const grown = growColumns(columns, Math.max(frameCount, maxFrame + 1))
  const report = emptyMergeReport('file')
  const seen = new Set<number>()
  for (const p of points) {
    if (seen.has(p.frame)) continue
    seen.add(p.frame)
    const f = p.frame
    const v = grown.visibility[f]
    const agrees = p.visible
      ? v === VISIBLE &&
        Math.abs(grown.x[f]! - p.x) < SAME_POSITION &&
        Math.abs(grown.y[f]! - p.y) < SAME_POSITION
      : v !== VISIBLE && v !== UNKNOWN
    // 'people' is the widest reading of ground truth: a label a person made, imported or reviewed.
    const byPeople = v !== UNKNOWN && isGroundTruth(grown, f, 'people')
    if (agrees && byPeople) continue
    if (agrees) {
      if (p.visible) report.confirmedVisible++
      else report.confirmedHidden++
      // The model's confidence stays: it is what the model said about a frame the file now vouches for.
      setFrame(grown, f, { x: p.visible ? p.x : 0, y: p.visible ? p.y : 0, source: 'imported' })
      continue
    }
    if (byPeople) report.conflicts++
    else report.set++
    setFrame(grown, f, {
      visibility: p.visible ? 'visible' : 'hidden',
      x: p.visible ? p.x : 0,
      y: p.visible ? p.y : 0,
      source: 'imported',
      review: 'unreviewed',
      confidence: null
    })
  }
  return { grown, frames: seen.size, report }
}

/**
 * Digits after the point of each frame's X and Y in a pixel CSV, so a rewrite keeps the
 * precision the user's rows had: "512,288" stays "512,288", "512.25,288.5" stays so. Other layouts (normalised
 * coordinates are rewritten as pixels) give an empty map.
 */
export function positionDecimals(text: string): Map<number, readonly [number, number]> {
  const out = new Map<number, readonly [number, number]>()
  const lines = text.split(/\r?\n/)
  const header = (lines[0] ?? '')
    .replace(/^\uFEFF/, '')
    .split(',')
    .map((c) => c.trim())
  if (header[0]?.toLowerCase() !== 'frame' || header[1]?.toLowerCase() !== 'visibility' || header[2] !== 'X')
    return out
  const digits = (cell: string | undefined): number => {
    const m = /\.(\d*)$/.exec((cell ?? '').trim())
    return m ? m[1]!.length : 0
  }
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i]!.split(',')
    const frame = Number(cells[0])
    if (!Number.isSafeInteger(frame) || frame < 0 || out.has(frame)) continue
    out.set(frame, [digits(cells[2]), digits(cells[3])])
  }
  return out
}
