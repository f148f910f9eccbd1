// Runs in Node (Vitest): properties of the label CSV reader and writers (src/shared/labels, normalised.ts):
// what is written reads back, and whatever text comes in, the reader answers with points and named issues,
// never an exception. Seeds are fixed so every run checks the same cases.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { lintRows } from '@shared/labels/lint'
import { readLabelCsv } from '@shared/labels/read'
import { LabelWriteError, writeLabelCsv } from '@shared/labels/write'
import type { LabelPoint, RowPoint } from '@shared/labels/types'
import { writeNormalisedCsv } from '@shared/project/formats/normalised'
import { canonical, labelCsvText, labelSet, numberText, videoSize } from './label-arbitraries'
import { expectSoundRead } from './read-invariants'

const ALL_ISSUES = { maxIssuesPerCode: Number.MAX_SAFE_INTEGER }

/** Same frames in the same order, same visibility, positions (and confidence) within `tol`. */
function expectClose(got: readonly RowPoint[], want: readonly LabelPoint[], tol: number): void {
  expect(got.map((p) => p.frame)).toEqual(want.map((p) => p.frame))
  const far = (a: number | undefined, b: number | undefined): boolean =>
    b !== undefined && !(Math.abs((a ?? NaN) - b) <= tol)
  // One expect for the whole clip: a per-frame expect costs more than the read itself.
  const wrong = got.filter((p, i) => {
    const w = want[i]!
    return p.visible !== w.visible || far(p.x, w.x) || far(p.y, w.y) || far(p.confidence, w.confidence)
  })
  expect(wrong).toEqual([])
}

describe('label CSV round trip', () => {
  it('pixels: every frame of the clip comes back, labelled ones to a thousandth of a pixel, with no issue', () => {
    fc.assert(
      fc.property(labelSet({ confidence: 'never' }), ({ video, frameCount, points }) => {
        const text = writeLabelCsv(points, { frameCount })
        const read = readLabelCsv(text, { video, frameCount, ...ALL_ISSUES })
        expect(read.format).toBe('pixels')
        expect(read.issues).toEqual([])
        const byFrame = new Map(points.map((p) => [p.frame, p]))
        const want = Array.from(
          { length: frameCount },
          (_, f) => byFrame.get(f) ?? { frame: f, visible: false, x: 0, y: 0 }
        )
        expectClose(read.points, canonical(want), 5e-4 + 1e-9)
      }),
      { seed: 101, numRuns: 100 }
    )
  })

  it('predictions: confidence comes back to the written decimals; only the gaps are reported', () => {
    fc.assert(
      fc.property(labelSet({ confidence: 'always' }), ({ video, points }) => {
        const text = writeLabelCsv(points, { confidence: true, decimals: 6 })
        const read = readLabelCsv(text, { video, ...ALL_ISSUES })
        expect(read.format).toBe('prediction')
        expect(read.issues.filter((i) => i.code !== 'missing-frames')).toEqual([])
        expectClose(read.points, canonical(points), 5e-7 + 1e-9)
      }),
      { seed: 102, numRuns: 150 }
    )
  })

  it('normalised: 0..1 of the video comes back as the same pixels within 1e-8 of the size', () => {
    fc.assert(
      fc.property(labelSet({ confidence: 'never' }), ({ video, points }) => {
        const text = writeNormalisedCsv(points, video)
        const read = readLabelCsv(text, { video, ...ALL_ISSUES })
        expect(read.format).toBe('normalised')
        expect(read.issues.filter((i) => i.code !== 'missing-frames')).toEqual([])
        expectClose(read.points, canonical(points), Math.max(video.width, video.height) * 1e-8)
      }),
      { seed: 103, numRuns: 150 }
    )
  })

  it('the writer refuses what it cannot write faithfully and writes the rest so it reads back', () => {
    const anyNumber = fc.oneof(fc.double(), fc.integer({ min: -3, max: 50 }))
    const anyPoint = fc.record(
      {
        frame: fc.oneof(fc.integer({ min: -2, max: 40 }), fc.double(), fc.constant(2 ** 53 + 2)),
        visible: fc.boolean(),
        x: anyNumber,
        y: anyNumber,
        confidence: fc.double()
      },
      { requiredKeys: ['frame', 'visible', 'x', 'y'] }
    )
    fc.assert(
      fc.property(fc.array(anyPoint, { maxLength: 20 }), fc.boolean(), (points, confidence) => {
        let text: string
        try {
          text = writeLabelCsv(points, { confidence, decimals: 6 })
        } catch (err) {
          expect(err).toBeInstanceOf(LabelWriteError)
          expect((err as Error).message).toMatch(/Frame/)
          return
        }
        const read = readLabelCsv(text, ALL_ISSUES)
        // Nothing written is unreadable: a refusal, not a row the reader must leave out.
        expect(read.issues.filter((i) => i.severity === 'error' && i.code !== 'missing-frames')).toEqual([])
        const want = canonical(points).map((p) => ({
          ...p,
          confidence: confidence ? (p.confidence ?? 0) : undefined
        }))
        const tol = (v: number): number => Math.max(5e-7, Math.abs(v) * 1e-15)
        expect(read.points.map((p) => p.frame)).toEqual(want.map((p) => p.frame))
        read.points.forEach((p, i) => {
          const w = want[i]!
          expect(p.visible).toBe(w.visible)
          expect(Math.abs(p.x - w.x)).toBeLessThanOrEqual(tol(w.x))
          expect(Math.abs(p.y - w.y)).toBeLessThanOrEqual(tol(w.y))
          if (w.confidence !== undefined) {
            expect(Math.abs((p.confidence ?? NaN) - w.confidence)).toBeLessThanOrEqual(tol(w.confidence))
          }
        })
      }),
      { seed: 104, numRuns: 300 }
    )
  })
})

describe('label CSV reader is total', () => {
  const options = fc.record(
    { video: videoSize, frameCount: fc.integer({ min: 0, max: 80 }) },
    { requiredKeys: [] }
  )

  it('label-like text with broken numbers, headers, line endings and a BOM: points and named issues', () => {
    fc.assert(
      fc.property(labelCsvText, options, (text, opts) => {
        const read = readLabelCsv(text, { ...opts, ...ALL_ISSUES })
        expectSoundRead(text, read, opts.video, opts.frameCount)
        // Rows are read independently: a frame read twice is always reported on its second line.
        const seen = new Set<number>()
        for (const p of read.points) {
          if (seen.has(p.frame)) {
            expect(read.issues.some((i) => i.row === p.row && i.code === 'duplicate-frame')).toBe(true)
          }
          seen.add(p.frame)
        }
      }),
      { seed: 105, numRuns: 400 }
    )
  })

  it('reads a line the same whatever ends it (LF, CRLF, CR, mixed): each line is read on its own', () => {
    fc.assert(
      fc.property(labelCsvText, options, (text, opts) => {
        const read = readLabelCsv(text, { ...opts, ...ALL_ISSUES })
        const unix = readLabelCsv(text.replace(/\r\n?/g, '\n'), { ...opts, ...ALL_ISSUES })
        expect(read).toEqual(unix)
      }),
      { seed: 108, numRuns: 300 }
    )
  })

  it('a stray quote or quoted line break damages only its own line: a good row after it is still read', () => {
    const quoted = fc.array(fc.oneof(numberText, fc.constantFrom('"', '"1', '1"', '"1\n2"', '""')), {
      minLength: 1,
      maxLength: 6
    })
    fc.assert(
      fc.property(fc.array(quoted, { maxLength: 8 }), (rows) => {
        const lines = ['Frame,Visibility,X,Y', ...rows.map((r) => r.join(',')), '7,1,12.5,40.25']
        const text = lines.join('\n') + '\n'
        const last = readLabelCsv(text, ALL_ISSUES).points.at(-1)
        expect(last).toEqual({ frame: 7, visible: true, x: 12.5, y: 40.25, row: text.split('\n').length - 1 })
      }),
      { seed: 109, numRuns: 200 }
    )
  })

  it('any text at all, lone surrogates and control characters included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), options, (text, opts) => {
        expectSoundRead(text, readLabelCsv(text, { ...opts, ...ALL_ISSUES }), opts.video, opts.frameCount)
      }),
      { seed: 106, numRuns: 300 }
    )
  })

  it('caps the issues of one kind and counts the rest, so a shifted file stays readable', () => {
    fc.assert(
      fc.property(labelCsvText, fc.integer({ min: 1, max: 5 }), (text, cap) => {
        const read = readLabelCsv(text, { maxIssuesPerCode: cap })
        const perCode = new Map<string, number>()
        for (const i of read.issues) perCode.set(i.code, (perCode.get(i.code) ?? 0) + 1)
        for (const [code, n] of perCode) if (code !== 'more-issues') expect(n).toBeLessThanOrEqual(cap)
      }),
      { seed: 107, numRuns: 200 }
    )
  })
})

describe('label lint', () => {
  /** The frames a missing-frames message names: "Frame 4 is missing." or "Frames 4–9 are missing (6 frames)." */
  function namedMissing(message: string): number[] {
    const m = /^Frames? (\d+)(?:–(\d+))?/.exec(message)
    if (!m) return []
    const from = Number(m[1])
    const to = m[2] === undefined ? from : Number(m[2])
    return Array.from({ length: to - from + 1 }, (_, i) => from + i)
  }

  it('names exactly the frames that are missing, each once, and every frame given twice', () => {
    const frames = fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 80 })
    fc.assert(
      fc.property(
        frames,
        fc.option(fc.integer({ min: 0, max: 130 }), { nil: undefined }),
        (fs, frameCount) => {
          const points = fs.map((frame, i) => ({ frame, visible: false, x: 0, y: 0, row: i + 2 }))
          const issues = lintRows(points, { frameCount, maxIssuesPerCode: Number.MAX_SAFE_INTEGER })
          const present = new Set(fs)
          const end = frameCount ?? (fs.length ? Math.max(...fs) + 1 : 0)
          const missing = Array.from({ length: end }, (_, f) => f).filter((f) => !present.has(f))
          const named = issues
            .filter((i) => i.code === 'missing-frames')
            .flatMap((i) => namedMissing(i.message))
          expect(named.sort((a, b) => a - b)).toEqual(missing)
          const twice = points.filter((p, i) => fs.indexOf(p.frame) !== i).map((p) => p.row)
          expect(issues.filter((i) => i.code === 'duplicate-frame').map((i) => i.row)).toEqual(twice)
          const beyond =
            frameCount === undefined ? [] : points.filter((p) => p.frame >= frameCount).map((p) => p.row)
          expect(issues.filter((i) => i.code === 'frame-beyond-video').map((i) => i.row)).toEqual(beyond)
        }
      ),
      { seed: 110, numRuns: 300 }
    )
  })
})
