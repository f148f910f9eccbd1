// Runs in Node (Vitest): the generators the label property tests share — valid label sets to round-trip, and
// damaged text (every CSV, COCO and CVAT mistake the readers must name) to throw at them.
import fc from 'fast-check'
import type { LabelPoint, VideoSize } from '@shared/labels/types'

/** Video sizes from a phone's portrait clip to 8K. */
export const videoSize: fc.Arbitrary<VideoSize> = fc.record({
  width: fc.integer({ min: 16, max: 7680 }),
  height: fc.integer({ min: 16, max: 4320 })
})

export interface LabelSet {
  video: VideoSize
  frameCount: number
  /** Unique frames below frameCount, in no particular order; visible points lie inside the picture. */
  points: LabelPoint[]
}

/** A sub-pixel position inside 0.5..size-1 (never the (0, 0) placeholder, never off the picture). */
const inside = (size: number): fc.Arbitrary<number> =>
  fc.double({ min: 0.5, max: size - 1, noNaN: true, noDefaultInfinity: true })

/** Labelled frames of a clip: visible or not, with a model's confidence or none; shuffled, with gaps. */
export function labelSet(
  opts: { confidence?: 'always' | 'sometimes' | 'never' } = {}
): fc.Arbitrary<LabelSet> {
  const confidence = opts.confidence ?? 'sometimes'
  return fc
    .record({ video: videoSize, frameCount: fc.integer({ min: 1, max: 400 }) })
    .chain(({ video, frameCount }) => {
      const point = (frame: number): fc.Arbitrary<LabelPoint> =>
        fc
          .record({
            visible: fc.boolean(),
            x: inside(video.width),
            y: inside(video.height),
            confidence:
              confidence === 'never'
                ? fc.constant(undefined)
                : confidence === 'always'
                  ? fc.double({ min: 0, max: 1, noNaN: true })
                  : fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined })
          })
          .map(({ visible, x, y, confidence: c }) => {
            const p: LabelPoint = { frame, visible, x: visible ? x : 0, y: visible ? y : 0 }
            if (c !== undefined) p.confidence = c + 0
            return p
          })
      const frames = fc.uniqueArray(fc.integer({ min: 0, max: frameCount - 1 }), { maxLength: 120 })
      return frames
        .chain((fs) => (fs.length ? fc.tuple(...fs.map(point)) : fc.constant([] as LabelPoint[])))
        .map((points) => ({ video, frameCount, points }))
    })
}

/** The points as a reader gives them back: sorted by frame, hidden ones at (0, 0). */
export function canonical(points: readonly LabelPoint[]): LabelPoint[] {
  return [...points]
    .sort((a, b) => a.frame - b.frame)
    .map((p) => ({ ...p, x: p.visible ? p.x : 0, y: p.visible ? p.y : 0 }))
}

/** Numbers as they appear in users' files, the broken ones included. */
export const numberText: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.integer({ min: -5, max: 400 }).map(String) },
  { weight: 1, arbitrary: fc.double({ noNaN: false }).map(String) },
  { weight: 2, arbitrary: fc.double({ min: -10, max: 2000, noNaN: true }).map((v) => v.toFixed(3)) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      'NaN',
      'nan',
      'Infinity',
      '-Infinity',
      'inf',
      '1e400',
      '-1e400',
      '1e306',
      '9007199254740993',
      '1e21',
      '-0',
      '0x10',
      '0b1',
      '1_000',
      '1,5',
      '.5',
      '5.',
      '+3',
      '"7"',
      '"',
      '1e',
      'null',
      'true',
      '\u00a0',
      '１'
    )
  }
)

const headers = [
  'Frame,Visibility,X,Y',
  'Frame,Visibility,X,Y,Confidence',
  'Frame,Ball,x,y',
  'Frame,Visibility,x,y',
  'frame,visibility,X,y',
  'Frame,Visibility,X,Y,Source',
  'Frame,Visibility,X,Y,Confidence,Source,Note',
  'Frame;Visibility;X;Y',
  'Frame\tVisibility\tX\tY',
  'Frame,X,Y',
  '"Frame","Visibility","X","Y"',
  ''
]

/** CSV text made of label-like lines: any header, any cells, any line ending, maybe a BOM. */
export const labelCsvText: fc.Arbitrary<string> = fc
  .record({
    bom: fc.boolean(),
    header: fc.oneof(fc.constantFrom(...headers), fc.string({ maxLength: 40 })),
    rows: fc.array(
      fc.oneof(
        {
          weight: 6,
          arbitrary: fc.array(numberText, { minLength: 4, maxLength: 5 }).map((c) => c.join(','))
        },
        {
          weight: 1,
          arbitrary: fc.array(numberText, { minLength: 0, maxLength: 7 }).map((c) => c.join(','))
        },
        { weight: 1, arbitrary: fc.string({ maxLength: 30 }) }
      ),
      { maxLength: 60 }
    ),
    endings: fc.array(fc.constantFrom('\n', '\r\n', '\r', '\n\n'), { minLength: 1, maxLength: 61 })
  })
  .map(({ bom, header, rows, endings }) => {
    const lines = [header, ...rows]
    const body = lines.map((l, i) => l + (endings[i % endings.length] ?? '\n')).join('')
    return (bom ? '\uFEFF' : '') + body
  })
