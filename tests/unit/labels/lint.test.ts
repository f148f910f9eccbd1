// Runs in Node (Vitest): every problem the lint pass reports, with its line, and that it never repairs the
// points it reports on.
import { describe, expect, it } from 'vitest'
import { readLabelCsv } from '@shared/labels/read'
import type { LabelIssue } from '@shared/labels/types'

const HD = { width: 1280, height: 720 }
const csv = (...rows: string[]): string => ['Frame,Visibility,X,Y', ...rows].join('\n') + '\n'
const codes = (issues: LabelIssue[]): string[] => issues.map((i) => `${i.row}:${i.code}`)

describe('label lint', () => {
  it('finds nothing in a clean file that matches the video', () => {
    expect(readLabelCsv(csv('0,1,1,2', '1,1,3,4', '2,0,0,0'), { video: HD, frameCount: 3 }).issues).toEqual(
      []
    )
  })

  it('reports unreadable rows and leaves them out', () => {
    const r = readLabelCsv(csv('0,1,1,2', 'x,1,1,2', '2.5,1,1,2', '-1,1,1,2', '4,yes,1,2', '5,1', '6,1,a,2'))
    expect(codes(r.issues)).toEqual([
      '3:frame-not-number',
      '4:frame-not-integer',
      '5:frame-negative',
      '6:visibility-not-number',
      '7:missing-columns',
      // Only frame 0 is left and no frame count is given, so no frame is known to be missing.
      '8:coordinate-not-number'
    ])
    expect(r.issues.every((i) => i.severity === 'error')).toBe(true)
    expect(r.points.map((p) => p.frame)).toEqual([0])
    expect(r.issues[0]?.message).toMatch(/not a number/)
  })

  it('reads an invisible row with a non-numeric position as (0, 0) but says so', () => {
    const r = readLabelCsv(csv('0,0,NaN,', '1,1,2,3'))
    expect(codes(r.issues)).toEqual(['2:coordinate-not-number'])
    expect(r.issues[0]?.severity).toBe('warning')
    expect(r.points[0]).toMatchObject({ visible: false, x: 0, y: 0 })
  })

  it('reports suspicious positions of visible rows but keeps them as written', () => {
    const r = readLabelCsv(csv('0,1,-3,5', '1,1,2e6,5', '2,1,1300,5', '3,1,0,0', '4,0,-1,-1', '5,2,10,10'), {
      video: HD
    })
    expect(codes(r.issues)).toEqual([
      '2:coordinate-negative',
      '3:coordinate-huge',
      '4:coordinate-off-frame',
      '5:visible-at-origin',
      '7:visibility-unusual'
    ])
    expect(r.points).toHaveLength(6)
    expect(r.points[0]).toMatchObject({ x: -3, y: 5, visible: true })
    expect(r.points[5]).toMatchObject({ visible: true })
  })

  it('flags normalised values outside 0..1 (pixels under a normalised header)', () => {
    const r = readLabelCsv('Frame,Ball,x,y\n0,1,640,360\n', { video: HD })
    expect(codes(r.issues)).toContain('2:normalised-out-of-range')
  })

  it('reports duplicate, out-of-order and missing frames on the right lines', () => {
    const r = readLabelCsv(csv('0,0,0,0', '3,0,0,0', '2,0,0,0', '3,1,5,5', '6,0,0,0'))
    expect(codes(r.issues)).toEqual([
      '4:out-of-order',
      '5:duplicate-frame',
      // frame 1 is missing: reported on the line of frame 2, the first frame after the gap
      '4:missing-frames',
      '6:missing-frames'
    ])
    expect(r.issues[1]?.message).toContain('first on line 3')
    expect(r.issues[3]?.message).toContain('Frames 4–5')
    // Nothing repaired: five rows, in file order, the duplicate included.
    expect(r.points.map((p) => p.frame)).toEqual([0, 3, 2, 3, 6])
  })

  it('checks the rows against the video frame count', () => {
    const r = readLabelCsv(csv('0,0,0,0', '1,0,0,0', '5,0,0,0'), { frameCount: 4 })
    expect(codes(r.issues)).toEqual(['4:frame-beyond-video', '0:missing-frames', '0:row-count'])
    expect(r.issues[1]?.message).toContain('Frames 2–3')
    const short = readLabelCsv(csv('0,0,0,0', '1,0,0,0'), { frameCount: 4 })
    expect(codes(short.issues)).toEqual(['0:missing-frames', '0:row-count'])
  })

  it('lists a repeated problem up to a cap, then counts the rest', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${29 - i},0,0,0`)
    const r = readLabelCsv(csv(...rows), { maxIssuesPerCode: 5 })
    const order = r.issues.filter((i) => i.code === 'out-of-order')
    expect(order).toHaveLength(5)
    expect(r.issues.at(-1)).toMatchObject({ code: 'more-issues', row: 0 })
    expect(r.issues.at(-1)?.message).toContain('24 more')
  })
})
