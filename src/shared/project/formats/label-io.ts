// Runs everywhere (shared): one entry point to turn a clip's labels into any supported file format and back.
// Import only reads and reports; turning what was read into edits is importEdits, applied when the user asks.
import { readLabelCsv } from '../../labels/read'
import { writeLabelCsv } from '../../labels/write'
import type { LabelIssue, LabelPoint, RowPoint, VideoSize } from '../../labels/types'
import { UNKNOWN, VISIBLE, type ClipColumns } from '../columns'
import { SOURCES, type Source } from '../frame-state'
import { MAX_COORDINATE, type FramePatch, type LabelEdit } from '../schemas'
import { readCoco, writeCoco } from './coco'
import { readCvat, writeCvat } from './cvat'
import { LABEL_FORMATS, type LabelFileFormat } from './format-names'
import { writeNormalisedCsv } from './normalised'

export { LABEL_FORMATS, type LabelFileFormat }

export interface FormatContext {
  video: VideoSize
  frameCount: number
  /** The clip's name (COCO file names). */
  clip: string
}

/** The labelled frames (visibility not 'unknown'), with confidence where the model gave one. */
export function labelledPoints(c: ClipColumns): LabelPoint[] {
  const out: LabelPoint[] = []
  for (let f = 0; f < c.frameCount; f++) {
    const v = c.visibility[f]
    if (v === UNKNOWN) continue
    const p: LabelPoint = { frame: f, visible: v === VISIBLE, x: c.x[f]!, y: c.y[f]! }
    const conf = c.confidence[f]!
    if (conf >= 0) p.confidence = conf
    out.push(p)
  }
  return out
}

export function exportLabels(c: ClipColumns, format: LabelFileFormat, ctx: FormatContext): string {
  const points = labelledPoints(c)
  switch (format) {
    case 'tracknet':
      return writeLabelCsv(points, { decimals: 3 })
    case 'confidence':
      return writeLabelCsv(points, { decimals: 6, confidence: true })
    case 'normalised':
      return writeNormalisedCsv(points, ctx.video)
    case 'coco':
      return writeCoco(points, ctx)
    case 'cvat':
      return writeCvat(points, ctx)
  }
}

export interface ImportRead {
  /** The format the file was read as. 'tracknet' covers the pixel CSV; null when nothing could be read. */
  format: LabelFileFormat | null
  points: RowPoint[]
  issues: LabelIssue[]
}

/** Reads a label file of any supported format ('auto': by its first character and CSV header). */
export function readLabels(
  text: string,
  format: LabelFileFormat | 'auto',
  ctx: { video?: VideoSize; frameCount?: number }
): ImportRead {
  const head = text.replace(/^\uFEFF/, '').trimStart()
  const kind =
    format !== 'auto' ? format : head.startsWith('{') ? 'coco' : head.startsWith('<') ? 'cvat' : 'csv'
  if (kind === 'coco') return { format: 'coco', ...readCoco(text, ctx) }
  if (kind === 'cvat') return { format: 'cvat', ...readCvat(text, ctx) }
  const read = readLabelCsv(text, ctx)
  const csvFormat =
    read.format === 'pixels'
      ? 'tracknet'
      : read.format === 'prediction'
        ? 'confidence'
        : read.format === 'normalised'
          ? 'normalised'
          : null
  return { format: csvFormat, points: read.points, issues: read.issues }
}

export interface ImportEditOptions {
  /** Source the imported frames get: 'imported' for labels, 'model' for predictions (default by format). */
  source?: Source
  /** Leave frames a person labelled as they are (default true: a human label always wins). */
  keepHuman?: boolean
  /** Fill only frames nobody labelled yet (e.g. predictions over a partly labelled clip). */
  onlyUnlabelled?: boolean
}

export interface ImportEdits {
  edits: LabelEdit[]
  /** Frames that will change. */
  frames: number
  /** Frames left alone because a person labelled them. */
  keptHuman: number
  /** Frames left alone because they were labelled and onlyUnlabelled was asked. */
  keptLabelled: number
  /** Frames left alone because their position is beyond any video (the reader warned on their lines). */
  outOfRange: number
}

const HUMAN = SOURCES.indexOf('human')

/** The edits that put the read points into the clip: one 'frames' edit per run of consecutive frames. */
export function importEdits(c: ClipColumns, read: ImportRead, options: ImportEditOptions = {}): ImportEdits {
  const source: Source = options.source ?? (read.format === 'confidence' ? 'model' : 'imported')
  const keepHuman = options.keepHuman ?? true
  const sorted = [...read.points].filter((p) => p.frame < c.frameCount).sort((a, b) => a.frame - b.frame)
  const edits: LabelEdit[] = []
  let keptHuman = 0
  let keptLabelled = 0
  let outOfRange = 0
  let frames = 0
  let run: { from: number; patches: FramePatch[] } | null = null
  const flush = (): void => {
    if (run && run.patches.some((p) => Object.keys(p).length > 0)) {
      edits.push({
        kind: 'frames',
        from: run.from,
        patches: run.patches,
        what: `Import ${read.format ?? ''}`.trim()
      })
    }
    run = null
  }
  for (const p of sorted) {
    let patch: FramePatch
    if (keepHuman && c.source[p.frame] === HUMAN) {
      keptHuman++
      patch = {}
    } else if (options.onlyUnlabelled && c.visibility[p.frame] !== UNKNOWN) {
      keptLabelled++
      patch = {}
    } else if (p.visible && !(Math.abs(p.x) <= MAX_COORDINATE && Math.abs(p.y) <= MAX_COORDINATE)) {
      // The reader keeps such a row as written, with a warning; a label edit cannot hold it.
      outOfRange++
      patch = {}
    } else {
      frames++
      patch = {
        visibility: p.visible ? 'visible' : 'hidden',
        x: p.visible ? p.x : 0,
        y: p.visible ? p.y : 0,
        source,
        review: 'unreviewed',
        confidence: p.confidence !== undefined ? Math.min(1, Math.max(0, p.confidence)) : null
      }
    }
    if (run && run.from + run.patches.length === p.frame) run.patches.push(patch)
    else {
      flush()
      run = { from: p.frame, patches: [patch] }
    }
  }
  flush()
  return { edits, frames, keptHuman, keptLabelled, outOfRange }
}
