// Runs in Node (Vitest): the decoder's candidates (the strongest few blobs) against the Python reference's
// (tests/fixtures/heatmap/candidates.json, written by postprocess.candidates_video and checked by
// training/tests/test_heatmap_vectors.py too), and the Candidates CSV column written and read back.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { HeatmapDecoder, type Candidate } from '@shared/heatmap/decode'
import {
  formatCandidates,
  parseCandidates,
  readCandidatesColumn,
  withCandidatesColumn
} from '@shared/heatmap/candidates-csv'

interface Vector {
  name: string
  output: 'logits' | 'sigmoid'
  threshold: number
  video: { width: number; height: number }
  heatmap: { height: number; width: number; fill: number; pixels: [number, number, number][] }
}

const dir = path.join(__dirname, '..', '..', 'fixtures', 'heatmap')
const { vectors } = JSON.parse(readFileSync(path.join(dir, 'vectors.json'), 'utf8')) as { vectors: Vector[] }
const expected = new Map(
  (
    JSON.parse(readFileSync(path.join(dir, 'candidates.json'), 'utf8')) as {
      candidates: { name: string; candidates: Candidate[] }[]
    }
  ).candidates.map((c) => [c.name, c.candidates])
)

describe('candidates match the Python reference', () => {
  it('has vectors with several blobs', () =>
    expect([...expected.values()].some((c) => c.length > 1)).toBe(true))

  for (const v of vectors) {
    it(v.name, () => {
      const decoder = new HeatmapDecoder({
        heatmap: { width: v.heatmap.width, height: v.heatmap.height },
        video: v.video,
        output: v.output,
        threshold: v.threshold
      })
      const data = new Float32Array(v.heatmap.height * v.heatmap.width).fill(v.heatmap.fill)
      for (const [y, x, value] of v.heatmap.pixels) data[y * v.heatmap.width + x] = value
      const got = decoder.candidates(data, 0, 4)
      const want = expected.get(v.name)!
      expect(got).toHaveLength(want.length)
      got.forEach((g, i) => {
        const w = want[i]!
        for (const k of ['x', 'y', 'mass', 'confidence'] as const) expect(g[k]).toBeCloseTo(w[k], 4)
      })
      // The first candidate is what decode() picks.
      const d = decoder.decode(data)
      expect(d.visible).toBe(got.length > 0)
      if (d.visible) expect([d.x, d.y, d.confidence]).toEqual([got[0]!.x, got[0]!.y, got[0]!.confidence])
    })
  }

  it('keeps only the strongest `max`', () => {
    const decoder = new HeatmapDecoder({
      heatmap: { width: 16, height: 4 },
      video: { width: 16, height: 4 },
      output: 'sigmoid'
    })
    const data = new Float32Array(64)
    for (let i = 0; i < 5; i++) data[i * 3] = 0.6 + i * 0.05
    const got = decoder.candidates(data, 0, 3)
    expect(got.map((c) => c.x)).toEqual([12, 9, 6])
  })
})

describe('Candidates column', () => {
  const c = [
    { x: 10.12345, y: 20, mass: 3.5, confidence: 0.91 },
    { x: 400, y: 5.5, mass: 1, confidence: 0.6 }
  ]

  it('round-trips at three decimals and leaves a frame without candidates empty', () => {
    expect(formatCandidates(c)).toBe('10.123:20.000:3.500:0.910;400.000:5.500:1.000:0.600')
    expect(parseCandidates(formatCandidates(c))).toEqual([{ ...c[0], x: 10.123 }, c[1]])
    expect(formatCandidates([])).toBe('')
    expect(parseCandidates('')).toEqual([])
  })

  it('refuses a field it did not write', () => {
    for (const bad of ['1:2:3', '1:2:3:x', 'a;b', '1:2:3:4;'] as const)
      expect(parseCandidates(bad)).toBeNull()
  })

  it('adds the column to a prediction CSV and reads it back', () => {
    const csv = 'Frame,Visibility,X,Y,Confidence\n0,1,10.123,20.000,0.910\n1,0,0.000,0.000,0.100\n'
    const withCol = withCandidatesColumn(csv, [c, []])
    expect(withCol.split('\n')[0]).toBe('Frame,Visibility,X,Y,Confidence,Candidates')
    expect(withCol.split('\n')[2]).toBe('1,0,0.000,0.000,0.100,')
    expect(readCandidatesColumn(withCol)).toEqual([parseCandidates(formatCandidates(c)), []])
    expect(readCandidatesColumn(csv)).toBeNull()
  })
})
