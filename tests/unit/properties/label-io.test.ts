// Runs in Node (Vitest): properties of the one import/export entry point (formats/label-io.ts): a clip's labels
// exported in any format and imported again are the same labels, and whatever file is imported, the edits it
// turns into are ones the API contract accepts. Seeds are fixed so every run checks the same cases.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  applyEdits,
  createColumns,
  exportLabels,
  HIDDEN,
  importEdits,
  LABEL_FORMATS,
  LabelEdit,
  readLabels,
  VISIBLE,
  type ClipColumns,
  type LabelFileFormat
} from '@shared/project'
import { labelCsvText, labelSet, type LabelSet, videoSize } from './label-arbitraries'

function columnsOf({ frameCount, points }: LabelSet): ClipColumns {
  const c = createColumns(frameCount)
  for (const p of points) {
    c.visibility[p.frame] = p.visible ? VISIBLE : HIDDEN
    c.x[p.frame] = p.x
    c.y[p.frame] = p.y
    if (p.confidence !== undefined) c.confidence[p.frame] = p.confidence
  }
  return c
}

/** How close a position comes back: the CSVs round to their decimals, COCO and CVAT keep every digit. */
const TOLERANCE: Record<LabelFileFormat, (size: number) => number> = {
  tracknet: () => 5e-4 + 1e-9,
  confidence: () => 5e-6 + 1e-9,
  normalised: (size) => size * 1e-8,
  coco: () => 0,
  cvat: () => 0
}

describe('label formats through export and import', () => {
  it('every format gives the clip back: visibility of every frame, positions, and confidence where it fits', () => {
    fc.assert(
      fc.property(labelSet(), fc.constantFrom(...LABEL_FORMATS), (set, format) => {
        const c = columnsOf(set)
        const ctx = { video: set.video, frameCount: set.frameCount, clip: 'rally' }
        const read = readLabels(exportLabels(c, format, ctx), 'auto', ctx)
        expect(read.format).toBe(format)
        const plan = importEdits(createColumns(set.frameCount), read)
        for (const e of plan.edits) expect(LabelEdit.safeParse(e).success).toBe(true)
        const back = createColumns(set.frameCount)
        applyEdits(back, plan.edits)
        expect(back.visibility).toEqual(c.visibility)
        const tol = TOLERANCE[format](Math.max(set.video.width, set.video.height))
        const keepsConfidence = format === 'confidence' || format === 'coco' || format === 'cvat'
        const wrong = set.points.filter((p) => {
          const f = p.frame
          if (
            p.visible &&
            !(Math.abs(back.x[f]! - c.x[f]!) <= tol && Math.abs(back.y[f]! - c.y[f]!) <= tol)
          ) {
            return true
          }
          return (
            keepsConfidence &&
            c.confidence[f]! >= 0 &&
            !(Math.abs(back.confidence[f]! - c.confidence[f]!) <= 1e-6)
          )
        })
        expect(wrong).toEqual([])
      }),
      { seed: 401, numRuns: 200 }
    )
  })

  it('whatever file comes in, its edits are ones the contract accepts and apply without a throw', () => {
    const text = fc.oneof(
      labelCsvText,
      fc.string({ maxLength: 100 }).map((s) => `{${s}`),
      fc.string({ maxLength: 100 }).map((s) => `<annotations>${s}`)
    )
    const format = fc.constantFrom<LabelFileFormat | 'auto'>('auto', ...LABEL_FORMATS)
    fc.assert(
      fc.property(text, format, videoSize, fc.integer({ min: 1, max: 80 }), (t, f, video, frameCount) => {
        const read = readLabels(t, f, { video, frameCount })
        const c = createColumns(frameCount)
        const plan = importEdits(c, read)
        for (const e of plan.edits) {
          const checked = LabelEdit.safeParse(e)
          expect(checked.success, JSON.stringify(e)).toBe(true)
        }
        applyEdits(c, plan.edits)
      }),
      { seed: 402, numRuns: 400 }
    )
  })
})
