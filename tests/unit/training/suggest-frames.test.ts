// Runs in Node (Vitest): "label these next" — each signal on a track written as the studio writes it (rectified
// CSV with Source and Candidates), labelled frames never suggested, the picks spread over clips and never
// closer than the gap in one clip, and (property) never more than asked for.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  parsePredictionCsv,
  pickSuggestions,
  scoreFrames,
  unsureness,
  type ScoredFrame
} from '../../../src/backend/training/suggest-frames'

/** One row of the studio's prediction file. */
function row(
  frame: number,
  vis: 0 | 1,
  x: number,
  y: number,
  conf: number,
  source: string,
  cands = ''
): string {
  return `${frame},${vis},${x},${y},${conf},${source},${cands}`
}

const HEADER = 'Frame,Visibility,X,Y,Confidence,Source,Candidates'

/** A steady flight, sure of itself: 0.95 everywhere, one candidate where the point is. */
function steady(n: number): string[] {
  return Array.from({ length: n }, (_, f) =>
    row(f, 1, 100 + 5 * f, 200, 0.95, 'detected', `${100 + 5 * f}:200:3.000:0.950`)
  )
}

describe('suggest frames', () => {
  it('finds each signal on a track as the studio writes it', () => {
    const rows = steady(40)
    rows[5] = row(5, 1, 125, 200, 0.52, 'detected', '125:200:1.000:0.520') // unsure: just over the threshold
    rows[10] = row(10, 0, 0, 0, 0.46, 'none', '') // unsure: just under it
    rows[15] = row(15, 1, 175, 200, 0.9, 'detected', '600:50:5.000:0.970;175:200:2.000:0.900') // other blob
    rows[20] = row(20, 0, 0, 0, 0.9, 'removed', '600:50:5.000:0.900') // rectification rejected it
    rows[30] = row(30, 1, 900, 200, 0.95, 'detected', '900:200:3.000:0.950') // a jump
    rows[31] = row(31, 1, 255, 200, 0.95, 'detected', '255:200:3.000:0.950') // and back
    rows[35] = row(35, 1, 275, 200, 0.3, 'filled', '') // filled by rectification: its confidence is not the model's
    const parsed = parsePredictionCsv([HEADER, ...rows].join('\n'))
    expect(parsed).toHaveLength(40)
    expect(parsed[15]!.candidates).toHaveLength(2)
    const scored = scoreFrames({ rows: parsed, threshold: 0.5, width: 1280, labelled: new Set() })
    const by = new Map(scored.map((s) => [s.frame, s.reasons]))
    expect(by.get(5)).toEqual(['unsure'])
    expect(by.get(10)).toEqual(['unsure'])
    expect(by.get(15)).toEqual(['other-candidate'])
    expect(by.get(20)).toEqual(['rejected'])
    expect(by.get(30)).toEqual(['jump'])
    expect(by.get(31)).toEqual(['jump'])
    expect([...by.keys()].sort((a, b) => a - b)).toEqual([5, 10, 15, 20, 30, 31])
  })

  it('never suggests a frame that has a ground-truth label', () => {
    const rows = steady(20)
    rows[5] = row(5, 1, 125, 200, 0.5, 'detected', '125:200:1.000:0.500')
    rows[6] = row(6, 1, 130, 200, 0.5, 'detected', '130:200:1.000:0.500')
    const parsed = parsePredictionCsv([HEADER, ...rows].join('\n'))
    const scored = scoreFrames({ rows: parsed, threshold: 0.5, width: 1280, labelled: new Set([5]) })
    expect(scored.map((s) => s.frame)).toEqual([6])
  })

  it('reads a raw track without Source or Candidates columns', () => {
    const parsed = parsePredictionCsv(
      'Frame,Visibility,X,Y,Confidence\n0,1,10,10,0.51\n1,0,0,0,0.1\nbad,row\n'
    )
    expect(parsed).toEqual([
      { frame: 0, visible: true, x: 10, y: 10, confidence: 0.51, source: null, candidates: null },
      { frame: 1, visible: false, x: 0, y: 0, confidence: 0.1, source: null, candidates: null }
    ])
  })

  it('measures unsureness against the threshold on either side', () => {
    expect(unsureness(0.5, 0.5)).toBe(1)
    expect(unsureness(0.95, 0.5)).toBe(0)
    expect(unsureness(0.05, 0.5)).toBe(0)
    expect(unsureness(0.7, 0.6)).toBeGreaterThan(unsureness(0.8, 0.6))
    expect(unsureness(-1, 0.5)).toBe(0)
  })

  it('spreads the picks over clips, never two within the gap in one clip', () => {
    // Clip 0 has many strong frames side by side, clip 1 a few weaker ones: clip 1 still gets its turn.
    const strong: ScoredFrame[] = Array.from({ length: 50 }, (_, i) => ({
      frame: 100 + i,
      score: 0.9,
      reasons: ['unsure']
    }))
    const weak: ScoredFrame[] = [10, 40, 70].map((frame) => ({ frame, score: 0.3, reasons: ['jump'] }))
    const picks = pickSuggestions([strong, weak], { max: 6, minGap: 8 })
    expect(picks).toHaveLength(6)
    expect(picks.filter((p) => p.clip === 1).map((p) => p.frame)).toEqual([10, 40, 70])
    const zero = picks.filter((p) => p.clip === 0).map((p) => p.frame)
    for (let i = 1; i < zero.length; i++) expect(zero[i]! - zero[i - 1]!).toBeGreaterThanOrEqual(8)
    // By clip, then frame: going through them switches clips once.
    expect(picks.map((p) => p.clip)).toEqual([0, 0, 0, 1, 1, 1])
  })

  it('never picks more than asked, nor two within the gap in a clip (property)', () => {
    const frames = fc.array(
      fc.record({ frame: fc.nat(500), score: fc.double({ min: 0, max: 1, noNaN: true }) }),
      { maxLength: 60 }
    )
    fc.assert(
      fc.property(
        fc.array(frames, { maxLength: 5 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 20 }),
        (clips, max, gap) => {
          const perClip = clips.map((c) => c.map((f) => ({ ...f, reasons: ['unsure' as const] })))
          const picks = pickSuggestions(perClip, { max, minGap: gap })
          expect(picks.length).toBeLessThanOrEqual(max)
          for (let c = 0; c < clips.length; c++) {
            const fs = picks.filter((p) => p.clip === c).map((p) => p.frame)
            for (let i = 1; i < fs.length; i++) expect(fs[i]! - fs[i - 1]!).toBeGreaterThanOrEqual(gap)
          }
        }
      )
    )
  })
})
