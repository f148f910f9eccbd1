// Runs in the renderer: the triage queue — which frames need a person, and why: a model label where the model
// disagrees with itself (its track took another blob than the heatmap's strongest, or rejected its own
// detection: the backend measures that from the track, track.disagreements), a model point with low
// confidence, a change of visibility, a jump faster than a shuttle can fly, a gap between visible frames.
// A short run of hidden frames inside a flight is one question ("is the shuttle really not there?"), so it is
// one stop, at its first frame nobody has reviewed, not a visibility change where it starts and another where
// it ends.
// Pure over the clip's columns and those frames, so it is tested without a browser and recomputed in a few ms
// per 100k frames.
import { HIDDEN, UNKNOWN, VISIBLE, type ClipColumns } from '@shared/project/columns'
import { isReviewed, sourceCode } from '@shared/project/frame-state'

export type TriageReason =
  'disagreement' | 'low-confidence' | 'visibility-change' | 'jump' | 'gap' | 'unlabelled'

export interface TriageOptions {
  /** Model points below this confidence need a look. */
  minConfidence: number
  /** Pixels per frame beyond which a move is not a shuttle's (scaled from the video's width). */
  maxSpeedPx: number
}

export function defaultTriageOptions(videoWidth: number): TriageOptions {
  // A smash leaves the racket at ~100 m/s; over a 13.4 m court filling ~60 % of a broadcast frame's width at
  // 30 fps that is ~15 % of the width per frame. Anything faster is a wrong blob, not a shuttle.
  return { minConfidence: 0.5, maxSpeedPx: videoWidth * 0.15 }
}

const MODEL = sourceCode('model')
const NONE: ReadonlySet<number> = new Set()
/** Visible frames at most this far apart are one flight with a short gap between them. */
const MAX_GAP_SPAN = 10
const IN_SHORT_GAP = 1
const ENDS_SHORT_GAP = 2

/**
 * Marks each hidden frame of a run of at most MAX_GAP_SPAN - 1 hidden frames between two visible ones
 * (IN_SHORT_GAP), and the visible frame that ends such a run (ENDS_SHORT_GAP).
 */
function shortGaps(c: ClipColumns): Uint8Array {
  const marks = new Uint8Array(c.frameCount)
  let f = 1
  while (f < c.frameCount) {
    if (c.visibility[f] !== HIDDEN || c.visibility[f - 1] !== VISIBLE) {
      f++
      continue
    }
    let end = f
    while (end < c.frameCount && c.visibility[end] === HIDDEN) end++
    if (end < c.frameCount && c.visibility[end] === VISIBLE && end - (f - 1) <= MAX_GAP_SPAN) {
      marks.fill(IN_SHORT_GAP, f, end)
      marks[end] = ENDS_SHORT_GAP
    }
    f = end
  }
  return marks
}

/**
 * One reason per frame (the first that applies), only for frames nobody has reviewed yet: a reviewed frame
 * has had its look. `disagreements`: the frames where the clip's track disagrees with itself; they count
 * while the frame still holds the model's label (a person's label answers the question). Returns parallel
 * arrays sorted by frame.
 */
export function triage(
  c: ClipColumns,
  opts: TriageOptions,
  disagreements: ReadonlySet<number> = NONE
): { frames: number[]; reasons: TriageReason[] } {
  const frames: number[] = []
  const reasons: TriageReason[] = []
  const n = c.frameCount
  const gaps = shortGaps(c)
  let lastVisible = -1
  /** Whether the short gap the loop is in has its stop already. */
  let gapAsked = false
  for (let f = 0; f < n; f++) {
    const v = c.visibility[f]!
    let reason: TriageReason | null = null
    if (!isReviewed(c.review[f]!)) {
      if (v === UNKNOWN) reason = 'unlabelled'
      else if (c.source[f] === MODEL && disagreements.has(f)) reason = 'disagreement'
      else if (
        v === VISIBLE &&
        c.source[f] === MODEL &&
        c.confidence[f]! >= 0 &&
        c.confidence[f]! < opts.minConfidence
      ) {
        reason = 'low-confidence'
      } else if (gaps[f] === IN_SHORT_GAP) reason = gapAsked ? null : 'gap'
      else if (
        f > 0 &&
        c.visibility[f - 1] !== v &&
        c.visibility[f - 1] !== UNKNOWN &&
        gaps[f] !== ENDS_SHORT_GAP
      )
        reason = 'visibility-change'
      else if (v === VISIBLE && lastVisible >= 0) {
        const dt = f - lastVisible
        const d = Math.hypot(c.x[f]! - c.x[lastVisible]!, c.y[f]! - c.y[lastVisible]!)
        if (d / dt > opts.maxSpeedPx) reason = 'jump'
        // Frames left unlabelled in a flight (a short gap of hidden frames has its own stop, above).
        else if (
          gaps[f] !== ENDS_SHORT_GAP &&
          dt > 1 &&
          dt <= MAX_GAP_SPAN &&
          allHiddenOrUnknown(c, lastVisible + 1, f)
        )
          reason = 'gap'
      }
    }
    if (reason) {
      frames.push(f)
      reasons.push(reason)
    }
    gapAsked = gaps[f] === IN_SHORT_GAP && (gapAsked || reason === 'gap')
    if (v === VISIBLE) lastVisible = f
  }
  return { frames, reasons }
}

function allHiddenOrUnknown(c: ClipColumns, from: number, to: number): boolean {
  for (let f = from; f < to; f++) if (c.visibility[f] !== HIDDEN && c.visibility[f] !== UNKNOWN) return false
  return true
}

/** The next frame in the queue after `frame` (or before, going back), wrapping around; null when empty. */
export function nextInQueue(queue: readonly number[], frame: number, direction: 1 | -1): number | null {
  if (queue.length === 0) return null
  if (direction > 0) return queue.find((f) => f > frame) ?? queue[0]!
  for (let i = queue.length - 1; i >= 0; i--) if (queue[i]! < frame) return queue[i]!
  return queue[queue.length - 1]!
}

export const REASON_TEXT: Record<TriageReason, string> = {
  disagreement: 'the model disagrees with itself',
  'low-confidence': 'the model is unsure',
  'visibility-change': 'visibility changes here',
  jump: 'a jump faster than a shuttle',
  gap: 'a short gap in the flight',
  unlabelled: 'nobody has labelled it'
}
