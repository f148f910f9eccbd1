// Runs in Node (Vitest): writing always gives the standard pixel format — sorted, one row per frame, fixed
// decimals — and what reads back is what was written.
import { describe, expect, it } from 'vitest'
import { readLabelCsv } from '@shared/labels/read'
import { LabelWriteError, writeLabelCsv } from '@shared/labels/write'

describe('writeLabelCsv', () => {
  it('writes Frame,Visibility,X,Y sorted with fixed decimals and 0,0 for invisible frames', () => {
    const text = writeLabelCsv([
      { frame: 2, visible: true, x: 10.12345, y: 5 },
      { frame: 0, visible: false, x: 99, y: 99 },
      { frame: 1, visible: true, x: -0.0001, y: 719.9999 }
    ])
    expect(text).toBe('Frame,Visibility,X,Y\n0,0,0.000,0.000\n1,1,0.000,720.000\n2,1,10.123,5.000\n')
  })

  it('writes predictions with a Confidence column', () => {
    const text = writeLabelCsv([{ frame: 0, visible: true, x: 1, y: 2, confidence: 0.98765 }], {
      confidence: true
    })
    expect(text).toBe('Frame,Visibility,X,Y,Confidence\n0,1,1.000,2.000,0.988\n')
  })

  it('fills to the frame count when asked, and refuses what it cannot write faithfully', () => {
    const text = writeLabelCsv([{ frame: 1, visible: true, x: 3, y: 4 }], { frameCount: 3, decimals: 1 })
    expect(text).toBe('Frame,Visibility,X,Y\n0,0,0.0,0.0\n1,1,3.0,4.0\n2,0,0.0,0.0\n')
    const dup = [
      { frame: 1, visible: true, x: 3, y: 4 },
      { frame: 1, visible: false, x: 0, y: 0 }
    ]
    expect(() => writeLabelCsv(dup)).toThrow(LabelWriteError)
    expect(() => writeLabelCsv([{ frame: 0, visible: true, x: NaN, y: 0 }])).toThrow(/not a position/)
    expect(() => writeLabelCsv([{ frame: 5, visible: false, x: 0, y: 0 }], { frameCount: 3 })).toThrow(
      /beyond/
    )
  })

  it('turns the normalised variant into the standard one', () => {
    const read = readLabelCsv('Frame,Ball,x,y\n1,1,0.5,0.5\n0,0,0,0\n', {
      video: { width: 1920, height: 1080 }
    })
    expect(writeLabelCsv(read.points)).toBe('Frame,Visibility,X,Y\n0,0,0.000,0.000\n1,1,960.000,540.000\n')
    const again = readLabelCsv(writeLabelCsv(read.points))
    expect(again.format).toBe('pixels')
    expect(again.issues).toEqual([])
  })
})
