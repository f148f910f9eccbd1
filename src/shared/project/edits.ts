// Runs everywhere (shared): applying a label edit to a clip's columns, and computing the edit that undoes it.
// Undo and redo are edits like any other: before sending an edit the UI asks invertEdit for its inverse
// (against the labels as they are before the edit) and keeps it; sending the inverse undoes, sending the
// original again redoes. Every edit goes through the journal the same way, so undo is never lost either.
import { cloneColumns, getFrame, setFrame, type ClipColumns } from './columns'
import { EMPTY_FRAME, type FrameLabel, type Review } from './frame-state'
import type { FramePatch, LabelEdit } from './schemas'

/** First and last frame the edit touches. */
export function editSpan(edit: LabelEdit): { from: number; to: number } {
  return edit.kind === 'range'
    ? { from: edit.from, to: edit.to }
    : { from: edit.from, to: edit.from + edit.patches.length - 1 }
}

/** Why the edit cannot apply to a clip of this many frames, or null when it can. */
export function checkEdit(edit: LabelEdit, frameCount: number): string | null {
  const { from, to } = editSpan(edit)
  if (to < from) return `The edit ends (frame ${to}) before it starts (frame ${from}).`
  if (to >= frameCount) {
    return `The edit reaches frame ${to}, but the clip has ${frameCount} frames (0..${frameCount - 1}).`
  }
  return null
}

/** Applies the edit in place. Call checkEdit first: frames beyond the columns are skipped. */
export function applyEdit(c: ClipColumns, edit: LabelEdit): void {
  if (edit.kind === 'range') {
    const to = Math.min(edit.to, c.frameCount - 1)
    for (let f = edit.from; f <= to; f++) setFrame(c, f, edit.patch)
  } else {
    edit.patches.forEach((p, i) => {
      if (edit.from + i < c.frameCount) setFrame(c, edit.from + i, p)
    })
  }
}

export function applyEdits(c: ClipColumns, edits: readonly LabelEdit[]): void {
  for (const e of edits) applyEdit(c, e)
}

/**
 * The edit that puts back what `edit` changes, computed against the labels BEFORE `edit` is applied: every
 * frame it touches, with all its fields as they are now. apply(edit) then apply(inverse) is the identity.
 */
export function invertEdit(before: ClipColumns, edit: LabelEdit): LabelEdit {
  const { from, to } = editSpan(edit)
  const last = Math.min(to, before.frameCount - 1)
  const patches: FrameLabel[] = []
  for (let f = from; f <= last; f++) patches.push(getFrame(before, f))
  const what = edit.what ? `Undo ${edit.what}` : undefined
  return what ? { kind: 'frames', from, patches, what } : { kind: 'frames', from, patches }
}

/**
 * The inverse of a list of edits applied in order: each inverse is taken against the state that edit met, and
 * the inverses run in reverse order. Works on a copy; `before` is not changed.
 */
export function invertEdits(before: ClipColumns, edits: readonly LabelEdit[]): LabelEdit[] {
  const copy = cloneColumns(before)
  const inverses: LabelEdit[] = []
  for (const e of edits) {
    inverses.push(invertEdit(copy, e))
    applyEdit(copy, e)
  }
  return inverses.reverse()
}

// The edits a person makes, as the UI sends them. Each one is a plain LabelEdit.

/** Place or move the point of one frame: a person's label. */
export function placePoint(frame: number, x: number, y: number): LabelEdit {
  const patch: FramePatch = {
    visibility: 'visible',
    x,
    y,
    source: 'human',
    review: 'corrected',
    confidence: null
  }
  return { kind: 'range', from: frame, to: frame, patch, what: `Place point at frame ${frame}` }
}

/** Mark frames as "shuttle not visible", by a person. */
export function markNotVisible(from: number, to = from): LabelEdit {
  const patch: FramePatch = { visibility: 'hidden', source: 'human', review: 'corrected', confidence: null }
  return { kind: 'range', from, to, patch, what: `Mark not visible ${describe(from, to)}` }
}

/** Accept the labels of frames as they are (model, interpolated or imported): only the review state changes. */
export function acceptFrames(from: number, to = from): LabelEdit {
  return { kind: 'range', from, to, patch: { review: 'accepted' }, what: `Accept ${describe(from, to)}` }
}

export function setReview(from: number, to: number, review: Review): LabelEdit {
  return { kind: 'range', from, to, patch: { review }, what: `Set ${review} ${describe(from, to)}` }
}

/** Forget frames' labels: back to unknown, as if nobody had looked. */
export function clearFrames(from: number, to = from): LabelEdit {
  const patch: FramePatch = { ...EMPTY_FRAME }
  return { kind: 'range', from, to, patch, what: `Clear ${describe(from, to)}` }
}

const describe = (from: number, to: number): string =>
  from === to ? `frame ${from}` : `frames ${from}–${to}`
