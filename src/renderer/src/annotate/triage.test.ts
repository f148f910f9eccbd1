// Runs in Node (Vitest): the triage queue finds each kind of frame that needs a person, skips reviewed
// frames, takes the frames where the model disagrees with itself as given, and walks forward and back with
// wrap-around.
import { describe, expect, it } from 'vitest'
import { createColumns, setFrame } from '@shared/project/columns'
import { defaultTriageOptions, nextInQueue, REASON_TEXT, triage } from './triage'

function clip() {
  const c = createColumns(20)
  for (let f = 0; f < 20; f++) {
    setFrame(c, f, {
      visibility: 'visible',
      x: 100 + f * 5,
      y: 200,
      source: 'model',
      review: 'unreviewed',
      confidence: 0.9
    })
  }
  return c
}

describe('triage', () => {
  it('finds low confidence, jumps, gaps, visibility changes and unlabelled frames', () => {
    const c = clip()
    setFrame(c, 3, { confidence: 0.2 })
    setFrame(c, 7, { x: 1200 })
    setFrame(c, 8, { x: 140 })
    setFrame(c, 11, { visibility: 'hidden', source: 'human', review: 'corrected' })
    setFrame(c, 12, { visibility: 'hidden', source: 'model' })
    setFrame(c, 16, { visibility: 'unknown', source: 'none' })
    const q = triage(c, defaultTriageOptions(1280))
    const byFrame = Object.fromEntries(q.frames.map((f, i) => [f, q.reasons[i]]))
    expect(byFrame[3]).toBe('low-confidence')
    expect(byFrame[7]).toBe('jump')
    expect(byFrame[8]).toBe('jump')
    // 11 and 12 hidden between visible 10 and 13: one short gap, asked at its first frame a person has not
    // reviewed, not a visibility change at each end.
    expect(byFrame[11]).toBeUndefined()
    expect(byFrame[12]).toBe('gap')
    expect(byFrame[13]).toBeUndefined()
    expect(byFrame[16]).toBe('unlabelled')
    expect(byFrame[17]).toBe('gap')
    expect(byFrame[0]).toBeUndefined()
  })

  it('asks once about a short gap in a flight, and at both ends of a long one', () => {
    const c = clip()
    for (const f of [4, 5]) setFrame(c, f, { visibility: 'hidden' }) // 2 hidden frames: a short gap
    for (let f = 8; f < 18; f++) setFrame(c, f, { visibility: 'hidden' }) // 10 hidden: the shuttle left
    const q = triage(c, defaultTriageOptions(1280))
    const byFrame = Object.fromEntries(q.frames.map((f, i) => [f, q.reasons[i]]))
    // One stop for the short gap, at its first frame; a person who reviewed that one is asked at the next.
    expect(q.frames).toEqual([4, 8, 18])
    expect(byFrame[4]).toBe('gap')
    expect([byFrame[8], byFrame[18]]).toEqual(['visibility-change', 'visibility-change'])
    setFrame(c, 4, { review: 'accepted' })
    expect(triage(c, defaultTriageOptions(1280)).frames).toEqual([5, 8, 18])
    // Hidden to the clip's end is no gap: the shuttle did not come back.
    const tail = clip()
    for (const f of [18, 19]) setFrame(tail, f, { visibility: 'hidden' })
    const t = triage(tail, defaultTriageOptions(1280))
    expect(t.frames).toEqual([18])
    expect(t.reasons).toEqual(['visibility-change'])
  })

  it('leaves reviewed frames alone', () => {
    const c = clip()
    setFrame(c, 3, { confidence: 0.2, review: 'accepted' })
    expect(triage(c, defaultTriageOptions(1280)).frames).not.toContain(3)
  })

  it('flags the frames where the model disagrees with itself, while they hold its unreviewed label', () => {
    const c = clip()
    setFrame(c, 3, { confidence: 0.2 }) // unsure and disagreeing: the disagreement says more
    setFrame(c, 9, { review: 'accepted' }) // a person has looked
    setFrame(c, 12, { x: 300, source: 'human', review: 'unreviewed' }) // a person placed it: answered
    setFrame(c, 16, { visibility: 'unknown', source: 'none' }) // the label was cleared: unlabelled
    const q = triage(c, defaultTriageOptions(1280), new Set([3, 5, 9, 12, 16]))
    const byFrame = Object.fromEntries(q.frames.map((f, i) => [f, q.reasons[i]]))
    expect(byFrame[3]).toBe('disagreement')
    expect(byFrame[5]).toBe('disagreement')
    expect(byFrame[9]).toBeUndefined()
    expect(byFrame[12]).not.toBe('disagreement')
    expect(byFrame[16]).toBe('unlabelled')
    expect(REASON_TEXT.disagreement).toMatch(/disagrees/)
    // Without the track's disagreements the same clip has none.
    expect(triage(c, defaultTriageOptions(1280)).reasons).not.toContain('disagreement')
  })

  it('walks the queue both ways and wraps', () => {
    const q = [4, 9, 15]
    expect(nextInQueue(q, 0, 1)).toBe(4)
    expect(nextInQueue(q, 9, 1)).toBe(15)
    expect(nextInQueue(q, 15, 1)).toBe(4)
    expect(nextInQueue(q, 9, -1)).toBe(4)
    expect(nextInQueue(q, 2, -1)).toBe(15)
    expect(nextInQueue([], 2, 1)).toBeNull()
  })
})
