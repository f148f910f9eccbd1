// Runs in the backend (plain Node): labels.import and labels.export for an open clip. Import reads and lints
// the file and reports; it changes the clip only when asked, as one journaled (so undoable) edit, and never
// applies a file whose problems it would have to guess through (a frame twice, frames beyond the video).
import { readFile } from 'node:fs/promises'
import type { Params, Result } from '../../shared/api/contract'
import { ApiError } from '../../shared/api/errors'
import {
  exportLabels,
  importEdits,
  labelledPoints,
  readLabels,
  type FormatContext
} from '../../shared/project/formats/label-io'
import type { ClipSession } from './clip-session'
import { disk } from './disk'
import { diskError } from './disk-errors'

const BLOCKING = new Set(['duplicate-frame', 'frame-beyond-video'])

export async function importLabelFile(
  session: ClipSession,
  ctx: FormatContext,
  p: Params<'labels.import'>
): Promise<Result<'labels.import'>> {
  const text = await readFile(p.path, 'utf8').catch((err) => {
    throw diskError(err, 'read', p.path)
  })
  const read = readLabels(text, p.format ?? 'auto', { video: ctx.video, frameCount: session.frameCount })
  const plan = importEdits(session.columns, read, {
    source: p.source,
    keepHuman: p.keepHuman ?? true,
    onlyUnlabelled: p.onlyUnlabelled ?? false
  })
  const errors = read.issues.filter((i) => i.severity === 'error').length
  const base = {
    format: read.format,
    issues: read.issues,
    errors,
    warnings: read.issues.length - errors,
    rows: read.points.length,
    frames: plan.frames,
    keptHuman: plan.keptHuman,
    keptLabelled: plan.keptLabelled
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
