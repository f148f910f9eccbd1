// Runs in Node (Vitest): every label format round-trips through export and import (exactly where the format
// can hold the value), and import reports what is wrong with a file instead of fixing it.
import { describe, expect, it } from 'vitest'
import {
  applyEdit,
  applyEdits,
  createColumns,
  exportLabels,
  importEdits,
  LABEL_FORMATS,
  markNotVisible,
  placePoint,
  readLabels,
  type ClipColumns,
  type LabelFileFormat
} from '@shared/project'

const ctx = { video: { width: 1280, height: 720 }, frameCount: 30, clip: 'rally1' }

function sample(): ClipColumns {
  const c = createColumns(30)
  for (let f = 2; f < 20; f++) applyEdit(c, placePoint(f, 100 + f * 10.125, 300 - f * 3.5))
  applyEdit(c, markNotVisible(20, 24))
  applyEdit(c, { kind: 'range', from: 10, to: 12, patch: { source: 'model', confidence: 0.75 } })
  return c
}

function roundTrip(c: ClipColumns, format: LabelFileFormat): ClipColumns {
  const text = exportLabels(c, format, ctx)
  const read = readLabels(text, 'auto', ctx)
  expect(read.format).toBe(format)
  // Unlabelled frames are not rows, so the CSV lint rightly says frames are missing; nothing else is wrong.
  expect(read.issues.filter((i) => i.code !== 'missing-frames' && i.code !== 'row-count')).toEqual([])
  const back = createColumns(30)
  applyEdits(back, importEdits(back, read).edits)
  return back
}

describe('label formats round-trip', () => {
  for (const format of LABEL_FORMATS) {
    it(`${format}: visibility (labelled / not visible / unlabelled) and positions come back`, () => {
      const c = sample()
      const back = roundTrip(c, format)
      const tolerance = format === 'tracknet' ? 5e-4 : format === 'normalised' ? 1e-4 : 0
      for (let f = 0; f < 30; f++) {
        expect(back.visibility[f], `frame ${f}`).toBe(c.visibility[f])
        if (c.visibility[f] === 2) {
          expect(Math.abs(back.x[f]! - c.x[f]!)).toBeLessThanOrEqual(tolerance)
          expect(Math.abs(back.y[f]! - c.y[f]!)).toBeLessThanOrEqual(tolerance)
        }
      }
      // Confidence is kept by the formats that have a place for it.
      if (format === 'confidence' || format === 'coco' || format === 'cvat') {
        expect(back.confidence[11]).toBeCloseTo(0.75, 6)
      }
    })
  }

  it('the confidence CSV comes in as model output, the others as imported', () => {
    const c = sample()
    const back = roundTrip(c, 'confidence')
    expect(back.source[5]).toBe(1) // model
    expect(roundTrip(c, 'cvat').source[5]).toBe(4) // imported
  })
})

describe('import lint', () => {
  it('reports a short file, missing frames, visible at 0,0 and off-frame points, and changes nothing itself', () => {
    const text = 'Frame,Visibility,X,Y\n0,1,0,0\n1,1,5000,10\n3,1,10,10\n'
    const read = readLabels(text, 'auto', { video: ctx.video, frameCount: 5 })
    const codes = read.issues.map((i) => i.code)
    expect(codes).toEqual(
      expect.arrayContaining(['visible-at-origin', 'coordinate-off-frame', 'missing-frames', 'row-count'])
    )
    expect(read.points.map((p) => [p.frame, p.x])).toEqual([
      [0, 0],
      [1, 5000],
      [3, 10]
    ])
  })

  it('reports wrong columns, NaN, negative and huge coordinates, non-numeric frames', () => {
    expect(readLabels('a,b,c\n1,2,3\n', 'auto', ctx).issues[0]).toMatchObject({ code: 'bad-header' })
    const read = readLabels('Frame,Visibility,X,Y\nx,1,1,1\n1,1,NaN,2\n2,1,-5,3\n3,1,1e9,2\n', 'auto', ctx)
    const codes = read.issues.map((i) => i.code)
    expect(codes).toEqual(
      expect.arrayContaining([
        'frame-not-number',
        'coordinate-not-number',
        'coordinate-negative',
        'coordinate-huge'
      ])
    )
  })

  it('lints COCO and CVAT too: a frame twice, beyond the video, visible at 0,0', () => {
    const coco = JSON.stringify({
      images: [
        { id: 1, frame: 3 },
        { id: 2, frame: 3 },
        { id: 3, frame: 99 },
        { id: 4, frame: 4 }
      ],
      annotations: [
        { image_id: 1, keypoints: [1, 2, 2] },
        { image_id: 2, keypoints: [1, 2, 2] },
        { image_id: 3, keypoints: [1, 2, 2] },
        { image_id: 4, keypoints: [0, 0, 2] }
      ]
    })
    const codes = readLabels(coco, 'auto', ctx).issues.map((i) => i.code)
    expect(codes).toEqual(
      expect.arrayContaining(['duplicate-frame', 'frame-beyond-video', 'visible-at-origin'])
    )
    const cvat =
      '<annotations><track id="0" label="s"><points frame="2" outside="0" points="abc"/></track></annotations>'
    expect(readLabels(cvat, 'auto', ctx).issues[0]).toMatchObject({ code: 'coordinate-not-number', frame: 2 })
  })

  it('an import keeps human labels unless told otherwise', () => {
    const c = createColumns(5)
    applyEdit(c, placePoint(1, 50, 50))
    const read = readLabels('Frame,Visibility,X,Y\n0,1,10,10\n1,1,20,20\n2,0,0,0\n', 'auto', ctx)
    const plan = importEdits(c, read)
    expect(plan).toMatchObject({ frames: 2, keptHuman: 1 })
    applyEdits(c, plan.edits)
    expect([c.x[0], c.x[1], c.visibility[2]]).toEqual([10, 50, 1])
    expect(importEdits(c, read, { keepHuman: false }).frames).toBe(3)
    // Predictions over a labelled clip: only the frames nobody labelled.
    const preds = readLabels('Frame,Visibility,X,Y,Confidence\n0,1,1,1,0.9\n3,1,7,7,0.8\n', 'auto', ctx)
    expect(importEdits(c, preds, { onlyUnlabelled: true })).toMatchObject({ frames: 1, keptLabelled: 1 })
  })
})
