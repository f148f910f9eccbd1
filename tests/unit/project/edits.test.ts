// Runs in Node (Vitest): label edits — applying, the inverse that undoes them (apply then inverse is the
// identity, on random edits), the edit builders, and the compact wire form of a clip's columns.
import { describe, expect, it } from 'vitest'
import {
  acceptFrames,
  applyEdit,
  applyEdits,
  checkEdit,
  clearFrames,
  cloneColumns,
  columnsEqual,
  createColumns,
  decodeColumns,
  encodeColumns,
  getFrame,
  invertEdit,
  invertEdits,
  markNotVisible,
  placePoint,
  REVIEWS,
  SOURCES,
  summarize,
  VISIBILITIES,
  type FramePatch,
  type LabelEdit
} from '@shared/project'

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

function randomPatch(r: () => number): FramePatch {
  const p: FramePatch = {}
  if (r() < 0.6) p.visibility = VISIBILITIES[Math.floor(r() * 3)]
  if (r() < 0.6) p.x = r() * 1920
  if (r() < 0.6) p.y = r() * 1080
  if (r() < 0.5) p.source = SOURCES[Math.floor(r() * SOURCES.length)]
  if (r() < 0.5) p.review = REVIEWS[Math.floor(r() * REVIEWS.length)]
  if (r() < 0.3) p.confidence = r() < 0.3 ? null : r()
  return p
}

function randomEdit(r: () => number, frames: number): LabelEdit {
  const from = Math.floor(r() * frames)
  if (r() < 0.5) {
    const to = Math.min(frames - 1, from + Math.floor(r() * 10))
    return { kind: 'range', from, to, patch: randomPatch(r) }
  }
  const n = Math.min(frames - from, 1 + Math.floor(r() * 8))
  return { kind: 'frames', from, patches: Array.from({ length: n }, () => randomPatch(r)) }
}

function randomColumns(r: () => number, frames: number) {
  const c = createColumns(frames)
  for (let i = 0; i < 40; i++) applyEdit(c, randomEdit(r, frames))
  return c
}

describe('invertEdit', () => {
  it('undoes any edit: apply(edit) then apply(inverse) gives back the labels exactly', () => {
    const r = rng(42)
    for (let trial = 0; trial < 300; trial++) {
      const c = randomColumns(r, 50)
      const before = cloneColumns(c)
      const edit = randomEdit(r, 50)
      const inverse = invertEdit(c, edit)
      applyEdit(c, edit)
      applyEdit(c, inverse)
      expect(columnsEqual(c, before)).toBe(true)
    }
  })

  it('undoes a list of edits that overlap, in reverse order', () => {
    const r = rng(7)
    for (let trial = 0; trial < 100; trial++) {
      const c = randomColumns(r, 30)
      const before = cloneColumns(c)
      const edits = Array.from({ length: 5 }, () => randomEdit(r, 30))
      const undo = invertEdits(c, edits)
      expect(columnsEqual(c, before)).toBe(true) // invertEdits works on a copy
      applyEdits(c, edits)
      applyEdits(c, undo)
      expect(columnsEqual(c, before)).toBe(true)
    }
  })

  it('redo is the original edit sent again', () => {
    const c = createColumns(10)
    const edit = placePoint(3, 100.25, 50.5)
    const undo = invertEdit(c, edit)
    applyEdit(c, edit)
    const after = cloneColumns(c)
    applyEdit(c, undo)
    applyEdit(c, edit)
    expect(columnsEqual(c, after)).toBe(true)
  })
})

describe('edit builders', () => {
  it('say what each person action does to a frame', () => {
    const c = createColumns(10)
    applyEdit(c, placePoint(2, 10.5, 20.25))
    expect(getFrame(c, 2)).toEqual({
      visibility: 'visible',
      x: 10.5,
      y: 20.25,
      source: 'human',
      review: 'corrected',
      confidence: null
    })
    applyEdit(c, markNotVisible(3, 4))
    expect(getFrame(c, 4)).toMatchObject({ visibility: 'hidden', source: 'human', review: 'corrected' })
    applyEdit(c, {
      kind: 'range',
      from: 5,
      to: 5,
      patch: { visibility: 'visible', x: 1, y: 2, source: 'model', confidence: 0.5 }
    })
    applyEdit(c, acceptFrames(5))
    expect(getFrame(c, 5)).toMatchObject({ source: 'model', review: 'accepted', confidence: 0.5 })
    applyEdit(c, clearFrames(2, 5))
    expect(getFrame(c, 3)).toEqual({
      visibility: 'unknown',
      x: 0,
      y: 0,
      source: 'none',
      review: 'unreviewed',
      confidence: null
    })
    expect(summarize(c)).toEqual({ frames: 10, labelled: 0, visible: 0, reviewed: 0 })
  })

  it('refuses an edit beyond the clip, in words', () => {
    expect(checkEdit(markNotVisible(5, 12), 10)).toMatch(/frame 12.*10 frames/)
    expect(checkEdit(markNotVisible(5, 9), 10)).toBeNull()
  })
})

describe('columns on the wire', () => {
  it('encode and decode exactly, at every length (base64 padding)', () => {
    const r = rng(3)
    for (const n of [0, 1, 2, 3, 4, 5, 17, 1000]) {
      const c = n ? randomColumns(r, n) : createColumns(0)
      expect(columnsEqual(decodeColumns(encodeColumns(c)), c)).toBe(true)
    }
  })

  it('stays small and fast for 200,000 frames', () => {
    const c = createColumns(200_000)
    for (let f = 0; f < c.frameCount; f += 3) applyEdit(c, placePoint(f, f % 1920, 500.125))
    const t0 = performance.now()
    const wire = encodeColumns(c)
    const back = decodeColumns(JSON.parse(JSON.stringify(wire)))
    const ms = performance.now() - t0
    expect(columnsEqual(back, c)).toBe(true)
    expect(JSON.stringify(wire).length).toBeLessThan(8_000_000)
    expect(ms).toBeLessThan(3000) // generous: the machine is shared; typically ~100 ms
  })
})
