// Runs in Node (Vitest): properties of the COCO keypoints and CVAT XML readers and writers
// (src/shared/project/formats): exact round trips, and any JSON or XML-like text read into points and named
// issues, never an exception. Seeds are fixed so every run checks the same cases.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readCoco, writeCoco } from '@shared/project/formats/coco'
import { readCvat, writeCvat } from '@shared/project/formats/cvat'
import type { LabelPoint, RowPoint } from '@shared/labels/types'
import { canonical, labelSet, numberText, videoSize } from './label-arbitraries'
import { expectSoundRead } from './read-invariants'

const ALL_ISSUES = { maxIssuesPerCode: Number.MAX_SAFE_INTEGER }
const options = fc.record(
  { video: videoSize, frameCount: fc.integer({ min: 0, max: 80 }) },
  { requiredKeys: [] }
)

/** A point as read, without the line it came from. */
const bare = ({ row: _row, ...p }: RowPoint): LabelPoint => p

describe('COCO keypoints', () => {
  it('round-trips exactly: frames, visibility, sub-pixel positions and scores, with no issue', () => {
    fc.assert(
      fc.property(labelSet(), fc.string({ maxLength: 20 }), ({ video, frameCount, points }, clip) => {
        const text = writeCoco(points, { video, frameCount, clip })
        const read = readCoco(text, { video, frameCount, ...ALL_ISSUES })
        expect(read.issues).toEqual([])
        expect(read.points.map(bare)).toEqual(canonical(points))
      }),
      { seed: 201, numRuns: 150 }
    )
  })

  /** COCO-shaped JSON with wrong types, missing fields, 1e400 (JSON for Infinity), and odd flags. */
  const junk = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    numberText.map((t) => `@${t}@`)
  )
  const image = fc.oneof(
    fc.record(
      { id: junk, frame: junk, file_name: fc.oneof(fc.string({ maxLength: 12 }), junk) },
      { requiredKeys: [] }
    ),
    junk
  )
  const annotation = fc.oneof(
    fc.record(
      {
        image_id: fc.oneof(fc.integer({ min: -1, max: 12 }), junk),
        keypoints: fc.oneof(
          fc.array(fc.oneof(fc.integer({ min: -1, max: 3 }), junk), { maxLength: 4 }),
          junk
        ),
        score: junk
      },
      { requiredKeys: [] }
    ),
    junk
  )
  const cocoText = fc
    .record({
      images: fc.array(image, { maxLength: 12 }),
      annotations: fc.array(annotation, { maxLength: 12 })
    })
    // Numbers written as the user's file has them, 1e400 and NaN included (then not JSON: that is reported).
    .map((doc) => JSON.stringify(doc, null, 1).replace(/"@([^"]*)@"/g, '$1'))

  it('any COCO-like or other JSON, and any text: points and named issues, never an exception', () => {
    const anyText = fc.oneof(
      cocoText,
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ unit: 'binary', maxLength: 200 })
    )
    fc.assert(
      fc.property(anyText, options, (text, opts) => {
        expectSoundRead(text, readCoco(text, { ...opts, ...ALL_ISSUES }), opts.video, opts.frameCount)
      }),
      { seed: 202, numRuns: 400 }
    )
  })
})

describe('CVAT XML', () => {
  it('round-trips exactly, whatever the label is called (XML entities included), with no issue', () => {
    fc.assert(
      fc.property(
        labelSet(),
        fc.string({ minLength: 1, maxLength: 20 }),
        ({ video, frameCount, points }, label) => {
          const text = writeCvat(points, { video, frameCount, label })
          const read = readCvat(text, { video, frameCount, label, ...ALL_ISSUES })
          expect(read.issues).toEqual([])
          expect(read.points.map(bare)).toEqual(canonical(points))
        }
      ),
      { seed: 301, numRuns: 150 }
    )
  })

  it('writes well-formed XML for a label with control characters, tabs and newlines in its name', () => {
    fc.assert(
      fc.property(
        labelSet(),
        fc.string({
          unit: fc.constantFrom(
            '\u0000',
            '\u0007',
            '\t',
            '\n',
            '\r',
            '\u001f',
            '\uffff',
            'a',
            '&',
            '<',
            '"',
            'é'
          ),
          minLength: 1,
          maxLength: 12
        }),
        ({ video, frameCount, points }, label) => {
          const text = writeCvat(points, { video, frameCount, label })
          // XML 1.0 cannot carry these at all; a tab, newline or CR inside an attribute must be a reference.
          // eslint-disable-next-line no-control-regex
          expect(text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/)
          const track = /<track [^>]*>/.exec(text)![0]
          expect(track).not.toMatch(/[\t\r\n]/)
          // eslint-disable-next-line no-control-regex
          const kept = label.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
          const read = readCvat(text, { video, frameCount, label: kept, ...ALL_ISSUES })
          expect(read.points.map(bare)).toEqual(canonical(points))
        }
      ),
      { seed: 302, numRuns: 100 }
    )
  })

  it('finds its track by name among others, and skips what a person commented out', () => {
    const decoy = '  <track id="9" label="decoy"><points frame="0" outside="0" points="3,4"/></track>'
    fc.assert(
      fc.property(
        labelSet(),
        fc.string({ minLength: 1, maxLength: 12 }).filter((l) => l !== 'decoy'),
        fc.nat(),
        ({ video, frameCount, points }, label, where) => {
          const lines = writeCvat(points, { video, frameCount, label }).split('\n')
          const track = lines.findIndex((l) => l.startsWith('  <track '))
          // A commented-out keyframe somewhere inside the track, and another track before it.
          const at = track + 1 + (where % (lines.length - track - 2))
          lines.splice(at, 0, '    <!-- <points frame="0" outside="0" points="5,6" keyframe="1"/> -->')
          lines.splice(track, 0, decoy)
          const read = readCvat(lines.join('\n'), { video, frameCount, label, ...ALL_ISSUES })
          expect(read.issues.map((i) => i.code)).toEqual(['extra-columns'])
          expect(read.points.map(bare)).toEqual(canonical(points))
        }
      ),
      { seed: 303, numRuns: 150 }
    )
  })

  it('reads the numbers written and nothing else: no frame or position from a blank or a hex number', () => {
    // One number per coordinate: "1,5" is two, and CVAT separates points with ';'.
    const coordinateText = numberText.filter((t) => !/[,;]/.test(t))
    const decimal = (t: string): boolean => /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(t)
    fc.assert(
      fc.property(numberText, coordinateText, coordinateText, fc.boolean(), (f, x, y, outside) => {
        const el = `<points frame="${f}" outside="${outside ? 1 : 0}" points="${x},${y}" keyframe="1"/>`
        const text = `<annotations>\n<track label="s">\n${el}\n</track>\n</annotations>\n`
        for (const p of readCvat(text, ALL_ISSUES).points) {
          expect(decimal(f) && Number(f) === p.frame, `frame "${f}"`).toBe(true)
          if (p.visible) expect(decimal(x) && decimal(y), `points "${x},${y}"`).toBe(true)
          if (p.visible) expect([p.x, p.y]).toEqual([Number(x) + 0, Number(y) + 0])
        }
      }),
      { seed: 304, numRuns: 300 }
    )
  })

  const attr = (name: string): fc.Arbitrary<string> =>
    fc.oneof(
      numberText.map((v) => ` ${name}="${v}"`),
      fc.tuple(numberText, numberText).map(([x, y]) => ` ${name}='${x},${y}'`),
      fc.constant('')
    )
  const pointsElement = fc
    .tuple(
      attr('frame'),
      attr('outside'),
      attr('points'),
      fc.constantFrom('/>', '>', '></points>'),
      numberText
    )
    .map(([f, o, p, end, c]) =>
      end === '>'
        ? `<points${f}${o}${p}><attribute name="confidence">${c}</attribute></points>`
        : `<points${f}${o}${p}${end}`
    )
  const token = fc.oneof(
    { weight: 4, arbitrary: pointsElement },
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        '<annotations>',
        '</annotations>',
        '<track label="shuttlecock">',
        '<track label="a&amp;b">',
        '<track>',
        '</track>',
        '<track/>',
        '<points',
        '</points>',
        '<!--',
        '-->',
        '<![CDATA[',
        ']]>',
        '&amp;',
        '&#x110000;',
        '&#0;',
        '&#xFFFFFFFF;',
        '&bogus;',
        '\n',
        '\r\n',
        '"',
        '>',
        '/>'
      )
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 10 }) }
  )
  const cvatText = fc.array(token, { maxLength: 40 }).map((t) => `<annotations>\n${t.join('')}`)

  it('any XML-like text (odd nesting, entities, comments, unclosed tags): points and named issues', () => {
    const anyText = fc.oneof(cvatText, fc.string({ unit: 'binary', maxLength: 200 }))
    fc.assert(
      fc.property(anyText, options, (text, opts) => {
        expectSoundRead(text, readCvat(text, { ...opts, ...ALL_ISSUES }), opts.video, opts.frameCount)
      }),
      { seed: 302, numRuns: 400 }
    )
  })
})
