// Runs in the backend (plain Node): labels.import and labels.export for an open clip. Import reads and lints
// the file and reports; it changes the clip only when asked, as one journaled (so undoable) edit, and never
// applies a file whose problems it would have to guess through (a frame twice, frames beyond the video).
// Its report counts what the file does in the same words as the scan of CSVs found on disk (label-report.ts).
// A file that is not labels at all is refused without quoting it: the path may be any file the backend can read,
// and its first line (a password file's, a key's) must not travel back in an error.
import { readFile, stat } from 'node:fs/promises'
import type { Params, Result } from '../../shared/api/contract'
import { ApiError } from '../../shared/api/errors'
import {
  exportLabels,
  importEdits,
  labelledPoints,
  readLabels,
  type FormatContext,
  type ImportRead
} from '../../shared/project/formats/label-io'
import { isGroundTruth } from '../../shared/evaluation/ground-truth'
import { UNKNOWN, VISIBLE, type ClipColumns } from '../../shared/project/columns'
import { sourceCode } from '../../shared/project/frame-state'
import { describeMerge, emptyMergeReport, type LabelMergeReport } from '../../shared/project/label-report'
import { formatBytes } from '../../shared/project/video-files'
import { toleranceFor } from '../../shared/metrics/tolerance'
import { renumberFromOpenCv } from '../video/opencv-frame-numbers'
import type { ClipSession } from './clip-session'
import { disk } from './disk'
import { diskError } from './disk-errors'
import { numberingHint, type NumberingHint } from './numbering-hint'

const BLOCKING = new Set(['duplicate-frame', 'frame-beyond-video'])

/** Far beyond any label file (an hour at 60 frames/s is a few MiB as CSV, tens as COCO JSON). */
export const MAX_LABEL_FILE_BYTES = 256 * 1024 * 1024

/** Refuses what is not a plain file of a label file's size before a byte is read (a device, a FIFO, a disk). */
async function checkLabelFile(file: string): Promise<void> {
  const info = await stat(file).catch((err) => {
    throw diskError(err, 'read', file)
  })
  if (!info.isFile()) {
    throw new ApiError(
      'bad-request',
      `${file} is not a file: give a label file (CSV, COCO JSON or CVAT XML).`
    )
  }
  if (info.size > MAX_LABEL_FILE_BYTES) {
    throw new ApiError(
      'bad-request',
      `${file} is ${formatBytes(info.size)}: too big for a label file (at most ${formatBytes(MAX_LABEL_FILE_BYTES)}).`
    )
  }
}

const NOT_LABELS: Record<string, string> = {
  coco: 'It is not COCO JSON with "images" and "annotations" lists.',
  cvat: 'It is not CVAT XML with an <annotations> element.',
  csv: 'Its first line is not a label header (Frame,Visibility,X,Y or Frame,Ball,x,y or Frame,Visibility,X,Y,Confidence).'
}

/**
 * A read whose header (or JSON, or XML) is not a label file's says so in one sentence that quotes nothing of
 * the file; a label file's issues are kept as they are (quoting a bad cell helps fix it).
 */
function withoutContents(read: ImportRead): ImportRead {
  if (!read.issues.some((i) => i.code === 'bad-header')) return read
  const kind = read.format === 'coco' || read.format === 'cvat' ? read.format : 'csv'
  const message = `This is not a label file, so nothing of it is shown. ${NOT_LABELS[kind]}`
  return { format: null, points: [], issues: [{ row: 0, code: 'bad-header', severity: 'error', message }] }
}

/**
 * Reads and lints the file against the clip and, for frameNumbers 'opencv', moves each label onto the picture
 * OpenCV showed for its number (`opencvShown`: for each OpenCV number, the studio frame; -1 for none). With the
 * studio's numbering on a video that drops frames (`dropsFrames`), says what OpenCV numbering would change.
 */
export async function importLabelFile(
  session: ClipSession,
  ctx: FormatContext,
  p: Params<'labels.import'>,
  opencv: { shown: () => Promise<Int32Array>; dropsFrames: boolean }
): Promise<Result<'labels.import'>> {
  await checkLabelFile(p.path)
  const text = await readFile(p.path, 'utf8').catch((err) => {
    throw diskError(err, 'read', p.path)
  })
  let read = withoutContents(
    readLabels(text, p.format ?? 'auto', { video: ctx.video, frameCount: session.frameCount })
  )
  let renumbered: Result<'labels.import'>['renumbered'] = null
  let hint: NumberingHint | null = null
  if (p.frameNumbers !== 'opencv' && read.format && opencv.dropsFrames) {
    hint = numberingHint(read.points, await opencv.shown(), session.columns, toleranceFor(ctx.video))
  }
  if (p.frameNumbers === 'opencv' && read.format) {
    const r = renumberFromOpenCv(read.points, await opencv.shown())
    // Issues about frames (duplicates, beyond the video) were the file's numbering: its rows stay as read.
    read = { ...read, points: r.points, issues: read.issues.filter((i) => !BLOCKING.has(i.code)) }
    renumbered = { moved: r.moved, maxShift: r.maxShift, dropped: r.pastEnd + r.duplicates }
  }
  const plan = importEdits(session.columns, read, {
    source: p.source,
    keepHuman: p.keepHuman ?? true,
    onlyUnlabelled: p.onlyUnlabelled ?? false
  })
  const errors = read.issues.filter((i) => i.severity === 'error').length
  const report = importReport(session.columns, read, p.keepHuman ?? true, p.onlyUnlabelled ?? false)
  const base = {
    format: read.format,
    issues: read.issues,
    errors,
    warnings: read.issues.length - errors,
    rows: read.points.length,
    frames: plan.frames,
    keptHuman: plan.keptHuman,
    keptLabelled: plan.keptLabelled,
    summary: describeMerge(report),
    renumbered,
    numberingHint: hint
  }
  let notApplied: string | null = null
  if (p.apply) {
    const blocking = read.issues.find((i) => BLOCKING.has(i.code))
    if (!read.format) notApplied = 'The file could not be read as labels; nothing was changed.'
    else if (blocking) notApplied = `Not applied: ${blocking.message} Fix the file and import it again.`
    else if (plan.edits.length === 0) notApplied = 'Nothing to apply: the file changes no frame.'
  }
  if (!p.apply || notApplied) {
    return { ...base, applied: false, notApplied, seq: null, undo: [] }
  }
  const { seq, undo } = await session.edit(plan.edits, { withUndo: true })
  return { ...base, applied: true, notApplied: null, seq, undo }
}

const HUMAN = sourceCode('human')

/**
 * What the import does, counted as the scan of CSVs found on disk counts (label-report.ts): frames set, frames
 * where the file confirms an unreviewed model or interpolated label, and frames where it disagrees with a
 * label a person made, which that person's label keeps (unless keepHuman is off: then the file's is set).
 */
export function importReport(
  c: ClipColumns,
  read: ImportRead,
  keepHuman: boolean,
  onlyUnlabelled: boolean
): LabelMergeReport {
  const report = emptyMergeReport('studio')
  const seen = new Set<number>()
  for (const p of read.points) {
    const f = p.frame
    if (f >= c.frameCount || seen.has(f)) continue
    seen.add(f)
    const v = c.visibility[f]
    if (onlyUnlabelled && v !== UNKNOWN) continue
    const agrees = p.visible
      ? v === VISIBLE && c.x[f] === p.x && c.y[f] === p.y
      : v !== VISIBLE && v !== UNKNOWN
    if (keepHuman && c.source[f] === HUMAN) {
      if (!agrees) report.conflicts++
    } else if (!agrees) report.set++
    else if (!isGroundTruth(c, f, 'people')) {
      if (p.visible) report.confirmedVisible++
      else report.confirmedHidden++
    }
  }
  return report
}

export async function exportLabelFile(
  session: ClipSession,
  ctx: FormatContext,
  p: Params<'labels.export'>
): Promise<Result<'labels.export'>> {
  if (p.format === 'normalised' && (!ctx.video.width || !ctx.video.height)) {
    throw new ApiError(
      'bad-request',
      'The video size is unknown, so normalised coordinates cannot be written.'
    )
  }
  const text = exportLabels(session.columns, p.format, ctx)
  await disk.writeAtomic(p.path, text).catch((err) => {
    throw diskError(err, 'write', p.path)
  })
  return { path: p.path, rows: labelledPoints(session.columns).length }
}
