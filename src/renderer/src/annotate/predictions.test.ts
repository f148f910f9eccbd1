// Runs in Node (Vitest): the tracker labels the frames nobody labelled and replaces only an earlier track's
// unreviewed guesses; a person's, an import's, an interpolation's and every reviewed label are kept.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cloneColumns, createColumns, getFrame, setFrame, type ClipColumns } from '@shared/project/columns'
import { applyEdits, invertEdits } from '@shared/project/edits'
import { REVIEWS, SOURCES, VISIBILITIES, type FrameLabel } from '@shared/project/frame-state'
import { predictionsEdit, trackerMayWrite, type PredictedPoint } from './predictions'

const track = (n: number, visible = (f: number) => f % 3 !== 2): PredictedPoint[] =>
  Array.from({ length: n }, (_, f) => ({ frame: f, visible: visible(f), x: 100 + f, y: 50, confidence: 0.8 }))

describe('predictions into labels', () => {
  it('fills unknown frames only, as unreviewed model labels', () => {
    const c = createColumns(4)
    setFrame(c, 1, { visibility: 'visible', x: 5, y: 6, source: 'human', review: 'corrected' })
    const { edit, frames } = predictionsEdit(
      c,
      track(4, (f) => f !== 2)
    )
    expect(frames).toBe(3)
    applyEdits(c, [edit!])
    expect(getFrame(c, 0)).toMatchObject({
      visibility: 'visible',
      x: 100,
      source: 'model',
      review: 'unreviewed'
    })
    expect(getFrame(c, 1)).toMatchObject({ x: 5, source: 'human' })
    expect(getFrame(c, 2)).toMatchObject({ visibility: 'hidden', source: 'model' })
    expect(getFrame(c, 0).confidence).toBeCloseTo(0.8)
  })

  it('replaces an earlier unreviewed model label, and nothing else that is labelled', () => {
    const kept: Partial<FrameLabel>[] = [
      { visibility: 'visible', x: 1, y: 1, source: 'human', review: 'corrected' },
      { visibility: 'hidden', source: 'imported', review: 'unreviewed' },
      { visibility: 'visible', x: 2, y: 2, source: 'interpolated', review: 'unreviewed' },
      { visibility: 'visible', x: 3, y: 3, source: 'interpolated', review: 'accepted' },
      { visibility: 'visible', x: 4, y: 4, source: 'model', review: 'accepted' },
      { visibility: 'hidden', source: 'model', review: 'verified', confidence: 0.3 }
    ]
    const c = createColumns(kept.length + 2)
    kept.forEach((l, f) => setFrame(c, f, l))
    const oldGuess = kept.length
    setFrame(c, oldGuess, { visibility: 'visible', x: 9, y: 9, source: 'model', confidence: 0.4 })
    const before = cloneColumns(c)
    const { edit, frames } = predictionsEdit(
      c,
      track(c.frameCount, () => true)
    )
    expect(frames).toBe(2)
    applyEdits(c, [edit!])
    kept.forEach((_, f) => expect(getFrame(c, f)).toEqual(getFrame(before, f)))
    expect(getFrame(c, oldGuess)).toMatchObject({ x: 100 + oldGuess, source: 'model', review: 'unreviewed' })
    expect(getFrame(c, oldGuess + 1)).toMatchObject({ visibility: 'visible', source: 'model' })
  })

  it('proposes nothing when every frame is labelled', () => {
    const c = createColumns(2)
    setFrame(c, 0, { visibility: 'hidden', source: 'human' })
    setFrame(c, 1, { visibility: 'hidden', source: 'imported' })
    expect(predictionsEdit(c, [{ frame: 0, visible: true, x: 1, y: 1, confidence: 1 }]).edit).toBeNull()
  })

  it('proposes nothing when the same track is applied twice (a re-track from the cache)', () => {
    const c = createColumns(30)
    applyEdits(c, [predictionsEdit(c, track(30)).edit!])
    expect(predictionsEdit(c, track(30))).toEqual({ edit: null, frames: 0 })
  })

  it('covers only the frames it changes, and one inverse undoes the whole fill', () => {
    const c = createColumns(100)
    setFrame(c, 50, { visibility: 'visible', x: 7, y: 7, source: 'human', review: 'corrected' })
    const points: (PredictedPoint | undefined)[] = []
    for (const p of track(100)) if (p.frame >= 40 && p.frame < 60) points[p.frame] = p
    const before = cloneColumns(c)
    const { edit, frames } = predictionsEdit(c, points)
    expect(frames).toBe(19)
    expect(edit).toMatchObject({ kind: 'frames', from: 40 })
    expect(edit?.kind === 'frames' && edit.patches.length).toBe(20)
    const inverse = invertEdits(c, [edit!])
    applyEdits(c, [edit!])
    applyEdits(c, inverse)
    for (let f = 0; f < 100; f++) expect(getFrame(c, f)).toEqual(getFrame(before, f))
  })

  it('never touches a frame it may not write, and writes every one it may (any labels, any track)', () => {
    const label = fc.record({
      visibility: fc.constantFrom(...VISIBILITIES),
      source: fc.constantFrom(...SOURCES),
      review: fc.constantFrom(...REVIEWS),
      x: fc.integer({ min: 0, max: 1000 }),
      y: fc.integer({ min: 0, max: 1000 })
    })
    const point = fc.option(
      fc.record({
        visible: fc.boolean(),
        x: fc.integer({ min: 0, max: 1000 }),
        y: fc.integer(),
        c: fc.float()
      }),
      { nil: undefined }
    )
    fc.assert(
      fc.property(fc.array(fc.tuple(label, point), { minLength: 1, maxLength: 40 }), (rows) => {
        const c: ClipColumns = createColumns(rows.length)
        rows.forEach(([l], f) => setFrame(c, f, l))
        const points = rows.map(([, p], f) =>
          p
            ? {
                frame: f,
                visible: p.visible,
                x: p.x,
                y: Math.max(0, Math.min(1000, p.y)),
                confidence: Number.isNaN(p.c) ? 0.5 : p.c
              }
            : undefined
        )
        const before = cloneColumns(c)
        const { edit } = predictionsEdit(c, points)
        if (edit) applyEdits(c, [edit])
        for (let f = 0; f < rows.length; f++) {
          const p = points[f]
          if (!p || !trackerMayWrite(before, f)) expect(getFrame(c, f)).toEqual(getFrame(before, f))
          else
            expect(getFrame(c, f)).toMatchObject({
              visibility: p.visible ? 'visible' : 'hidden',
              source: 'model',
              review: 'unreviewed'
            })
        }
      })
    )
  })
})
