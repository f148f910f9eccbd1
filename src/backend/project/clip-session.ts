// Runs in the backend (plain Node): one open clip's labels. An edit is checked, written to the journal and
// fsynced, and only then applied and acknowledged. The CSV and the state file follow about a second later
// (and on close), written atomically; a failed write keeps everything in the journal, says so, and retries.
// The CSV is never rewritten with fewer labelled rows than it has unless edits cleared that many.
import { copyFile, mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { ApiError } from '../../shared/api/errors'
import { writeLabelCsv } from '../../shared/labels/write'
import { summarize, type ClipColumns, type ColumnsSummary } from '../../shared/project/columns'
import { checkEdit, editSpan, invertEdits } from '../../shared/project/edits'
import { labelledPoints } from '../../shared/project/formats/label-io'
import type { FramePatch, LabelEdit } from '../../shared/project/schemas'
import { sourceCode } from '../../shared/project/frame-state'
import type { LabelMergeReport } from '../../shared/project/label-report'
import { encodeColumns } from '../../shared/project/wire'
import { countCsvRows, sha256, writeClipState } from './clip-state'
import { applyCounting, loadClip, type LoadOptions } from './clip-load'
import { replacedCopyPath } from '../fs/damaged-copy'
import { disk } from './disk'
import { diskError } from './disk-errors'
import { Journal } from './journal'

export interface ClipSessionEvents {
  changed(seq: number, edits: LabelEdit[]): void
  saved(seq: number, counts: ColumnsSummary): void
  saveProblem(message: string): void
}

export interface ClipSessionOptions extends LoadOptions {
  clipId: string
  /** Delay between an edit and the rewrite of the CSV and state (default 1000 ms). */
  saveDelayMs?: number
  events?: Partial<ClipSessionEvents>
}

export interface EditAck {
  seq: number
  counts: ColumnsSummary
  /** The edits that undo these (only when asked for). */
  undo: LabelEdit[]
}

const MAX_RETRY_MS = 30_000
const IMPORTED = sourceCode('imported')

export class ClipSession {
  columns!: ClipColumns
  seq = 0
  savedSeq = 0
  recovered = 0
  warnings: string[] = []
  /** What merging the CSV found on disk at open did (null when the studio had written that CSV itself). */
  merged: LabelMergeReport | null = null
  /** Digits after the point of each frame's position as the CSV on disk has it. */
  private csvDecimals = new Map<number, readonly [number, number]>()
  private journal: Journal
  private timer: NodeJS.Timeout | null = null
  private saving: Promise<void> | null = null
  private retryMs = 2000
  /** Labelled frames that edits turned unknown since the CSV was last written: the allowed shrink. */
  private cleared = 0
  private lastCsvSha: string | null = null
  /** Labelled frames of the CSV as the studio last read or wrote it. */
  private csvRows = 0
  /** The files on disk lag behind the labels. */
  private dirty = false
  /** Visibility or positions changed since the CSV was written (review-only edits leave the CSV alone). */
  private csvDirty = false
  /** How long the last save took: a slow save (a very long clip) waits longer before the next one. */
  private lastSaveMs = 0
  private editQueue: Promise<unknown> = Promise.resolve()
  private closing = false
  private closed = false

  private constructor(private readonly o: ClipSessionOptions) {
    this.journal = new Journal(o.journalFile)
  }

  static async open(o: ClipSessionOptions): Promise<ClipSession> {
    const s = new ClipSession(o)
    const loaded = await loadClip(o)
    s.columns = loaded.columns
    s.seq = loaded.seq
    s.savedSeq = loaded.savedSeq
    s.recovered = loaded.pending.length
    s.warnings = loaded.warnings
    s.lastCsvSha = loaded.csvSha
    s.csvRows = loaded.csvRows
    s.dirty = loaded.dirty
    s.csvDirty = loaded.csvDirty
    s.merged = loaded.merged
    s.csvDecimals = loaded.csvDecimals
    s.cleared = loaded.cleared
    await mkdir(path.dirname(o.journalFile), { recursive: true }).catch((err) => {
      throw diskError(err, 'create', path.dirname(o.journalFile), 'The clip cannot be edited there.')
    })
    try {
      await s.journal.open(loaded.pending)
    } catch (err) {
      throw diskError(err, 'open the edit journal', o.journalFile, 'The clip cannot be edited there.')
    }
    if (loaded.dirty) s.scheduleSave(0)
    return s
  }

  get frameCount(): number {
    return this.columns.frameCount
  }

  counts(): ColumnsSummary {
    return summarize(this.columns)
  }

  /**
   * Applies edits as one journal entry; resolves with its seq once it is durably on disk. withUndo: also the
   * edits that undo it, computed against the labels the edits meet (after any edit queued before them).
   */
  edit(edits: LabelEdit[], options: { withUndo?: boolean } = {}): Promise<EditAck> {
    const run = this.editQueue.then(() => this.editNow(edits, options.withUndo ?? false))
    this.editQueue = run.catch(() => undefined)
    return run
  }

  private async editNow(edits: LabelEdit[], withUndo: boolean): Promise<EditAck> {
    if (this.closed) throw new ApiError('not-found', 'This clip was closed: open it again to edit it.')
    edits.forEach((e, i) => {
      const problem = checkEdit(e, this.frameCount)
      if (problem) throw new ApiError('bad-request', edits.length > 1 ? `Edit ${i + 1}: ${problem}` : problem)
    })
    const undo = withUndo ? invertEdits(this.columns, edits) : []
    const seq = this.seq + 1
    try {
      await this.journal.append({ seq, at: new Date().toISOString(), edits })
    } catch (err) {
      throw diskError(err, 'write the edit to the journal', this.o.journalFile, 'The edit was NOT applied.')
    }
    for (const e of edits) {
      this.cleared += applyCounting(this.columns, e)
      if (touchesCsv(e)) {
        this.csvDirty = true
        // An edited frame is the studio's now (an import included): written with three decimals.
        for (const f of framesMoved(e)) this.csvDecimals.delete(f)
      }
    }
    this.seq = seq
    this.dirty = true
    this.o.events?.changed?.(seq, edits)
    // The journal already holds the edit, so a later save risks nothing; saving a huge clip every second would.
    this.scheduleSave(Math.min(10_000, Math.max(this.o.saveDelayMs ?? 1000, this.lastSaveMs * 4)))
    return { seq, counts: this.counts(), undo }
  }

  /** Writes the CSV and state now (waits for a write in progress, then writes what is newer). */
  async flush(): Promise<void> {
    await this.editQueue
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    while (this.saving) await this.saving.catch(() => undefined)
    if (this.dirty) await this.save()
  }

  /**
   * Saves and stops; further edits are refused. A save that fails still closes (the journal keeps every edit,
   * replayed and saved at the next open) but rejects with what went wrong, so the caller never reports a clean
   * close that left the CSV behind.
   */
  async close(): Promise<void> {
    this.closing = true
    let problem: unknown = null
    try {
      await this.flush()
    } catch (err) {
      problem = err
    }
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    await this.journal.close()
    if (problem) throw problem
  }

  private scheduleSave(delayMs: number): void {
    if (this.timer || this.closed) return
    this.timer = setTimeout(() => {
      this.timer = null
      void this.save().then(
        () => (this.retryMs = 2000),
        () => {
          this.scheduleSave(this.retryMs)
          this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2)
        }
      )
    }, delayMs)
  }

  /**
   * A frame still as the file said it ('imported') keeps the digits its row had, so rewriting the CSV after an
   * edit elsewhere leaves the user's rows as they were; everything else is written with three decimals.
   */
  private keptDecimals(): (frame: number) => readonly [number, number] | undefined {
    const c = this.columns
    const decimals = this.csvDecimals
    return (f) => (c.source[f] === IMPORTED ? decimals.get(f) : undefined)
  }

  private save(): Promise<void> {
    if (this.saving) return this.saving
    this.saving = this.saveNow().finally(() => (this.saving = null))
    return this.saving
  }

  private async saveNow(): Promise<void> {
    const started = performance.now()
    // One synchronous snapshot: the labels and the seq they include belong together.
    const seq = this.seq
    const columns = encodeColumns(this.columns)
    const writeCsv = this.csvDirty
    const points = writeCsv ? labelledPoints(this.columns) : []
    const clearedAtSnapshot = this.cleared
    const csv = writeCsv ? writeLabelCsv(points, { decimals: 3, decimalsOf: this.keptDecimals() }) : null
    const csvSha = csv === null ? this.lastCsvSha : sha256(csv)
    const file = this.o.csvFile
    this.dirty = false
    this.csvDirty = false
    try {
      if (csv !== null && csvSha !== this.lastCsvSha) {
        // Unchanged since the studio read or wrote it: its known count; changed behind its back: every row.
        const read = await readFile(file, 'utf8').catch(() => null)
        const text = read ?? ''
        const changedOutside = read !== null && sha256(read) !== this.lastCsvSha
        const onDisk = changedOutside ? countCsvRows(text) : this.csvRows
        if (points.length < onDisk - clearedAtSnapshot) {
          throw new ApiError(
            'internal',
            `Not rewriting ${file}: it has ${onDisk} labelled rows and the studio would write ${points.length}, yet edits cleared only ${clearedAtSnapshot}. Your edits are safe in the journal; close and reopen the clip.`
          )
        }
        await mkdir(path.dirname(file), { recursive: true })
        // A file someone put there while the clip was open (a copied-in CSV, another tool's output) is kept
        // aside before the studio saves its labels over it: nothing is lost, and the person is told where.
        const aside = changedOutside ? replacedCopyPath(file) : null
        if (aside) await copyFile(file, aside)
        await disk.writeAtomic(file, csv)
        if (aside)
          this.o.events?.saveProblem?.(
            `${file} was changed outside the studio while its clip was open. That version is kept as ` +
              `${path.basename(aside)} beside it, and the studio's labels were saved. To use its labels, ` +
              'import that file into the clip.'
          )
        this.lastCsvSha = csvSha
        this.csvRows = points.length
        this.cleared -= clearedAtSnapshot
      }
      await mkdir(path.dirname(this.o.stateFile), { recursive: true })
      await writeClipState(this.o.stateFile, {
        version: 1,
        seq,
        savedAt: new Date().toISOString(),
        csvSha,
        columns
      })
      this.savedSeq = seq
      await this.journal.compact(seq)
    } catch (err) {
      this.dirty = true
      if (writeCsv) this.csvDirty = true
      const e = diskError(
        err,
        'save',
        file,
        this.closing
          ? 'The clip was closed anyway: every edit is kept in its journal and saved when the clip is opened again.'
          : 'Your edits are safe in the journal; saving is retried.'
      )
      this.o.events?.saveProblem?.(e.message)
      throw e
    }
    this.lastSaveMs = performance.now() - started
    this.o.events?.saved?.(seq, this.counts())
  }
}

/** Whether an edit can change the CSV (visibility or position); review, source and confidence are not in it. */
function touchesCsv(e: LabelEdit): boolean {
  const touches = (p: FramePatch): boolean =>
    p.visibility !== undefined || p.x !== undefined || p.y !== undefined
  return e.kind === 'range' ? touches(e.patch) : e.patches.some(touches)
}

/** The frames whose visibility or position an edit sets. */
function framesMoved(e: LabelEdit): number[] {
  const touches = (p: FramePatch): boolean =>
    p.visibility !== undefined || p.x !== undefined || p.y !== undefined
  if (e.kind === 'frames') return e.patches.flatMap((p, i) => (touches(p) ? [e.from + i] : []))
  if (!touches(e.patch)) return []
  const { from, to } = editSpan(e)
  return Array.from({ length: to - from + 1 }, (_, i) => from + i)
}
