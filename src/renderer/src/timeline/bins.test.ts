// Runs in Node (Vitest): the timeline's binning keeps the worst frame of each column visible and maps pixels
// to frames and back consistently, at any length.
import { describe, expect, it } from 'vitest'
import { binMax, binMin, columnOfFrame, frameAtColumn } from './bins'

describe('timeline bins', () => {
  it('keeps the highest category in a column', () => {
    const lane = new Int8Array(1000)
    lane[503] = 3
    const cols = binMax(lane, 0, 1000, 10)
    expect(Array.from(cols)).toEqual([0, 0, 0, 0, 0, 3, 0, 0, 0, 0])
  })

  it('keeps the weakest confidence in a column and leaves empty columns empty', () => {
    const conf = new Float32Array(200).fill(0.9)
    conf[150] = 0.1
    for (let i = 0; i < 20; i++) conf[i] = Number.NaN
    const cols = binMin(conf, 0, 200, 10)
    expect(Number.isNaN(cols[0]!)).toBe(true)
    expect(cols[7]).toBeCloseTo(0.1)
    expect(cols[6]).toBeCloseTo(0.9)
  })

  it('maps columns to frames and back on a 200,000-frame match', () => {
    const width = 1400
    for (const frame of [0, 1, 99_999, 199_999]) {
      const x = columnOfFrame(frame, width, 0, 200_000)
      expect(Math.abs(frameAtColumn(x, width, 0, 200_000) - frame)).toBeLessThanOrEqual(200_000 / width)
    }
    expect(frameAtColumn(-5, width, 0, 100)).toBe(0)
    expect(frameAtColumn(5000, width, 0, 100)).toBe(99)
  })

  it('leaves no gaps when there are fewer frames than columns', () => {
    const lane = new Int8Array([2, 0, 1])
    expect(Array.from(binMax(lane, 0, 3, 6))).toEqual([2, 2, 0, 0, 1, 1])
  })

  it('bins a zoomed window only', () => {
    const lane = new Int8Array(100)
    lane[10] = 2
    lane[60] = 1
    expect(Array.from(binMax(lane, 50, 70, 4))).toEqual([0, 0, 1, 0])
  })
})
