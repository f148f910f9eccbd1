// Runs everywhere (shared): a clip's labels in columnar form — one typed array per field, one slot per frame —
// so a 200,000-frame clip is a few megabytes and every operation is a tight loop, not 200,000 objects.
import {
  REVIEWS,
  SOURCES,
  VISIBILITIES,
  isReviewed,
  reviewCode,
  sourceCode,
  visibilityCode,
  type FrameLabel
} from './frame-state'

/** Codes are indexes into VISIBILITIES, SOURCES, REVIEWS; confidence is -1 where there is none. */
export interface ClipColumns {
  frameCount: number
  visibility: Uint8Array
  x: Float64Array
  y: Float64Array
  source: Uint8Array
  review: Uint8Array
  confidence: Float32Array
}

export const VISIBLE = visibilityCode('visible')
export const HIDDEN = visibilityCode('hidden')
export const UNKNOWN = visibilityCode('unknown')

export function createColumns(frameCount: number): ClipColumns {
  return {
    frameCount,
    visibility: new Uint8Array(frameCount),
    x: new Float64Array(frameCount),
    y: new Float64Array(frameCount),
    source: new Uint8Array(frameCount),
    review: new Uint8Array(frameCount),
    confidence: new Float32Array(frameCount).fill(-1)
  }
}

export function cloneColumns(c: ClipColumns): ClipColumns {
  return {
    frameCount: c.frameCount,
    visibility: c.visibility.slice(),
    x: c.x.slice(),
    y: c.y.slice(),
    source: c.source.slice(),
    review: c.review.slice(),
    confidence: c.confidence.slice()
  }
}

/** A longer copy (a label file that runs past the video keeps its rows: nothing is dropped). */
export function growColumns(c: ClipColumns, frameCount: number): ClipColumns {
  if (frameCount <= c.frameCount) return c
  const g = createColumns(frameCount)
  g.visibility.set(c.visibility)
  g.x.set(c.x)
  g.y.set(c.y)
  g.source.set(c.source)
  g.review.set(c.review)
  g.confidence.set(c.confidence)
  return g
}

export function getFrame(c: ClipColumns, f: number): FrameLabel {
  const conf = c.confidence[f] ?? -1
  return {
    visibility: VISIBILITIES[c.visibility[f] ?? 0] ?? 'unknown',
    x: c.x[f] ?? 0,
    y: c.y[f] ?? 0,
    source: SOURCES[c.source[f] ?? 0] ?? 'none',
    review: REVIEWS[c.review[f] ?? 0] ?? 'unreviewed',
    confidence: conf < 0 ? null : conf
  }
}

export function setFrame(c: ClipColumns, f: number, label: Partial<FrameLabel>): void {
  if (label.visibility !== undefined) c.visibility[f] = visibilityCode(label.visibility)
  if (label.x !== undefined) c.x[f] = label.x
  if (label.y !== undefined) c.y[f] = label.y
  if (label.source !== undefined) c.source[f] = sourceCode(label.source)
  if (label.review !== undefined) c.review[f] = reviewCode(label.review)
  if (label.confidence !== undefined) c.confidence[f] = label.confidence === null ? -1 : label.confidence
}

export interface ColumnsSummary {
  frames: number
  /** Frames whose visibility is not 'unknown' (the rows of the CSV). */
  labelled: number
  visible: number
  /** Frames with review accepted, corrected or verified. */
  reviewed: number
}

export function summarize(c: ClipColumns): ColumnsSummary {
  let labelled = 0
  let visible = 0
  let reviewed = 0
  for (let f = 0; f < c.frameCount; f++) {
    const v = c.visibility[f] ?? 0
    if (v !== UNKNOWN) labelled++
    if (v === VISIBLE) visible++
    if (isReviewed(c.review[f] ?? 0)) reviewed++
  }
  return { frames: c.frameCount, labelled, visible, reviewed }
}

/** True when every field of every frame is the same (confidence compared at Float32 precision). */
export function columnsEqual(a: ClipColumns, b: ClipColumns): boolean {
  if (a.frameCount !== b.frameCount) return false
  for (let f = 0; f < a.frameCount; f++) {
    if (
      a.visibility[f] !== b.visibility[f] ||
      a.x[f] !== b.x[f] ||
      a.y[f] !== b.y[f] ||
      a.source[f] !== b.source[f] ||
      a.review[f] !== b.review[f] ||
      a.confidence[f] !== b.confidence[f]
    )
      return false
  }
  return true
}
