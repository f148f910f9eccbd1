// Runs in Node (Vitest): predictions fill only unlabelled frames and keep everyone's labels.
import { describe, expect, it } from 'vitest'
import { createColumns, getFrame, setFrame } from '../../../shared/project/columns'
import { applyEdits } from '../../../shared/project/edits'
import { predictionsEdit } from './predictions'

describe('predictions into labels', () => {
  it('fills unknown frames only, as unreviewed model labels', () => {
    const c = createColumns(4)
    setFrame(c, 1, { visibility: 'visible', x: 5, y: 6, source: 'human', review: 'corrected' })
    const points = [0, 1, 2, 3].map((f) => ({
      frame: f,
      visible: f !== 2,
      x: 100 + f,
      y: 50,
      confidence: 0.8
    }))
    const { edit, frames } = predictionsEdit(c, points)
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

  it('proposes nothing when every frame is labelled', () => {
    const c = createColumns(2)
    setFrame(c, 0, { visibility: 'hidden', source: 'human' })
    setFrame(c, 1, { visibility: 'hidden', source: 'imported' })
    expect(predictionsEdit(c, [{ frame: 0, visible: true, x: 1, y: 1, confidence: 1 }]).edit).toBeNull()
  })
})
