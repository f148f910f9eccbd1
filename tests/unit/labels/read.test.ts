// Runs in Node (Vitest): reading the three CSV variants into the label model, row by row, and what the reader
// refuses to guess.
import { describe, expect, it } from 'vitest'
import { readLabelCsv } from '@shared/labels/read'

const HD = { width: 1280, height: 720 }

describe('readLabelCsv', () => {
  it('reads the standard pixel format', () => {
    const r = readLabelCsv('Frame,Visibility,X,Y\n0,1,100,200\n1,0,0,0\n2,1,101.5,199.25\n')
    expect(r.format).toBe('pixels')
    expect(r.issues).toEqual([])
    expect(r.points).toEqual([
      { frame: 0, visible: true, x: 100, y: 200, row: 2 },
      { frame: 1, visible: false, x: 0, y: 0, row: 3 },
      { frame: 2, visible: true, x: 101.5, y: 199.25, row: 4 }
    ])
  })

  it('reads the normalised Frame,Ball,x,y variant into pixels of the given video', () => {
    const r = readLabelCsv('Frame,Ball,x,y\n0,1,0.5,0.25\n1,0,0,0\n', { video: HD })
    expect(r.format).toBe('normalised')
    expect(r.issues).toEqual([])
    expect(r.points[0]).toMatchObject({ frame: 0, visible: true, x: 640, y: 180 })
  })

  it('treats Frame,Visibility,x,y (lower-case x) as normalised, as the Python reader does', () => {
    const r = readLabelCsv('Frame,Visibility,x,y\n0,1,0.5,0.5\n', { video: HD })
    expect(r.format).toBe('normalised')
    expect(r.points[0]).toMatchObject({ x: 640, y: 360 })
  })

  it('refuses normalised coordinates without a video size, and says why', () => {
    const r = readLabelCsv('Frame,Ball,x,y\n0,1,0.5,0.25\n')
    expect(r.points).toEqual([])
    expect(r.issues).toEqual([
      expect.objectContaining({ code: 'needs-video-size', row: 1, severity: 'error' })
    ])
  })

  it('reads predictions with their confidence', () => {
    const r = readLabelCsv('Frame,Visibility,X,Y,Confidence\n0,1,10,20,0.875\n1,0,0,0,0.125\n')
    expect(r.format).toBe('prediction')
    expect(r.points.map((p) => p.confidence)).toEqual([0.875, 0.125])
  })

  it('names a header it does not know, on line 1, and reads nothing', () => {
    const r = readLabelCsv('frame,x,y\n0,1,2\n')
    expect(r.format).toBeNull()
    expect(r.points).toEqual([])
    expect(r.issues[0]).toMatchObject({ code: 'bad-header', row: 1, severity: 'error' })
    expect(r.issues[0]?.message).toContain('Frame,Visibility,X,Y')
  })

  it('reports an empty file', () => {
    expect(readLabelCsv('\n\n').issues[0]).toMatchObject({ code: 'empty-file', row: 0 })
  })

  it('reports extra columns without failing, and tolerates a BOM, CRLF and blank lines', () => {
    const r = readLabelCsv('\uFEFFFrame,Visibility,X,Y,Note\r\n0,1,5,6,hi\r\n\r\n1,0,0,0,\r\n')
    expect(r.format).toBe('pixels')
    expect(r.points.map((p) => [p.frame, p.row])).toEqual([
      [0, 2],
      [1, 4]
    ])
    expect(r.issues.map((i) => i.code)).toEqual(['extra-columns'])
  })
})
