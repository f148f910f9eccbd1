// Runs in the backend (plain Node): rebuilds a clip's labels when it is opened, in the order that loses
// nothing: the last saved state, then the CSV where it differs from what that state wrote (edited outside the
// studio, or the studio stopped between writing the CSV and the state), then every journal entry newer than
// the state, in order. Whatever it had to do is said in `warnings`. Labels that replayed edits cleared count as
// cleared, exactly as if the edits had just been made, so the CSV can be written again without them.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { ApiError } from '../../shared/api/errors'
import { readLabelCsv } from '../../shared/labels/read'
import type { VideoSize } from '../../shared/labels/types'
import {
  summarize,
  createColumns,
  growColumns,
  UNKNOWN,
  type ClipColumns
} from '../../shared/project/columns'
import { mergeChanged, type LabelMergeReport } from '../../shared/project/label-report'
import { applyEdit, checkEdit, editSpan } from '../../shared/project/edits'
import type { LabelEdit } from '../../shared/project/schemas'
import { decodeColumns } from '../../shared/project/wire'
import { countCsvRows, readClipState, sha256 } from './clip-state'
import { mergeCsv, positionDecimals } from './csv-merge'
import { readJournal, type JournalEntry } from './journal'

export interface LoadedClip {
  columns: ClipColumns
  /** The state's seq (what the saved files include). */
  savedSeq: number
  /** The last edit's seq after replay. */
  seq: number
  /** Journal entries newer than the saved state, replayed; the Journal keeps them until the next save. */
  pending: JournalEntry[]
  warnings: string[]
  /** sha256 of the CSV on disk (null when there is none). */
  csvSha: string | null
  /** Distinct frames the CSV on disk labels (a frame written twice counts once). */
  csvRows: number
  /** True when the files on disk lag behind the labels (save soon). */
  dirty: boolean
  /**
   * True when the CSV itself must be written again (missing, or edits from the journal); a CSV merged in is
   * left as the user wrote it, only the state records it.
   */
  csvDirty: boolean
  /** What merging a CSV new or changed since the studio last wrote it did; null when there was none. */
  merged: LabelMergeReport | null
  /** Digits after the point of each frame's position in the CSV on disk (kept when it is rewritten). */
  csvDecimals: Map<number, readonly [number, number]>
  /** Labelled frames the replayed edits turned unknown: the CSV may shrink by that much when next written. */
  cleared: number
}

export interface LoadOptions {
  stateFile: string
  journalFile: string
  csvFile: string
  frameCount: number
  video: VideoSize
}

export async function loadClip(o: LoadOptions): Promise<LoadedClip> {
  const warnings: string[] = []
  let columns = createColumns(o.frameCount)
  let savedSeq = 0
  let csvSha: string | null = null
  let hasState = false
  try {
    const state = await readClipState(o.stateFile)
    if (state) {
      columns = growColumns(decodeColumns(state.columns), o.frameCount)
      savedSeq = state.seq
      csvSha = state.csvSha
      hasState = true
    }
  } catch (err) {
    if (err instanceof ApiError) throw err // a newer format: refused, never rebuilt over
    warnings.push(
      `The studio's state for this clip (${path.basename(o.stateFile)}) could not be read (${(err as Error).message}); labels were rebuilt from the CSV and the journal, review states may be missing.`
    )
  }
  let dirty = false
  let csvDirty = false
  let merged: LabelMergeReport | null = null
  const csv = await readFile(o.csvFile, 'utf8').catch(() => null)
  // The studio writes one row per frame, so its own CSV's rows are its frames; another CSV is counted as read.
  let csvRows = csv === null ? 0 : countCsvRows(csv)
  if (csv !== null && sha256(csv) !== csvSha) {
    const read = readLabelCsv(csv, { video: o.video })
    const unreadable = read.issues.filter(
      (i) => i.severity === 'error' && i.code !== 'row-count' && i.code !== 'missing-frames'
    )
    if (unreadable.length) {
      warnings.push(
        `${path.basename(o.csvFile)}: ${unreadable.length} problem(s), e.g. "${unreadable[0]?.message}". Rows that could be read were used; the file is rewritten only when you edit.`
      )
    }
    const { report, grown, frames } = mergeCsv(read.points, columns, o.frameCount)
    const changed = mergeChanged(report)
    merged = report
    columns = grown
    csvRows = frames
    if (grown.frameCount > o.frameCount) {
      warnings.push(
        `${path.basename(o.csvFile)} has labels up to frame ${grown.frameCount - 1} but the video has ${o.frameCount} frames; those rows are kept.`
      )
    }
    if (hasState && changed > 0) {
      warnings.push(
        `${path.basename(o.csvFile)} differs from the studio's last save in ${changed} frame(s) (edited outside the studio, or the studio stopped while saving); those frames were read from the CSV as 'imported'.`
      )
    }
    dirty = hasState && changed > 0
  }
  if (csv === null && hasState && summarize(columns).labelled > 0) {
    warnings.push(`${path.basename(o.csvFile)} was missing; it is written again from the studio's last save.`)
    dirty = true
    csvDirty = true
  }
  const journal = await readJournal(o.journalFile)
  warnings.push(...journal.warnings)
  const pending = journal.entries.filter((e) => e.seq > savedSeq)
  let cleared = 0
  for (const entry of pending) {
    const bad = entry.edits.map((e) => checkEdit(e, columns.frameCount)).find((p) => p !== null)
    if (bad) {
      warnings.push(`Journal entry ${entry.seq} does not fit this video (${bad}); it was skipped.`)
      continue
    }
    for (const e of entry.edits) cleared += applyCounting(columns, e)
  }
  if (pending.length) {
    warnings.push(
      `${pending.length} edit(s) not yet saved when the studio last stopped were recovered from the journal.`
    )
  }
  const seq = Math.max(savedSeq, journal.entries.at(-1)?.seq ?? 0)
  return {
    columns,
    savedSeq,
    seq,
    pending,
    warnings,
    csvSha: csv === null ? null : sha256(csv),
    csvRows,
    dirty: dirty || pending.length > 0,
    csvDirty: csvDirty || pending.length > 0,
    merged,
    csvDecimals: csv === null ? new Map() : positionDecimals(csv),
    cleared
  }
}

/** Labelled frames in [from, to]. */
export function labelledIn(columns: ClipColumns, from: number, to: number): number {
  let n = 0
  for (let f = from; f <= to; f++) if (columns.visibility[f] !== UNKNOWN) n++
  return n
}

/** Applies one edit; returns how many labelled frames it turned unknown. */
export function applyCounting(columns: ClipColumns, e: LabelEdit): number {
  const { from, to } = editSpan(e)
  const before = labelledIn(columns, from, to)
  applyEdit(columns, e)
  return Math.max(0, before - labelledIn(columns, from, to))
}
