// Runs in vitest (plain Node): the pre-rendered background is pinned byte for byte (variants, grain table and net
// layer), so restructuring its code cannot change a generated match; and the hall tracing sends each ray to the
// surface it meets first.
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { renderBackground } from '../../../src/backend/synth/background'
import {
  BACK_BOARDS_Y,
  emptyHit,
  HIT_BOARD,
  HIT_CROWD,
  HIT_FLOOR,
  traceHall
} from '../../../src/backend/synth/background-trace'
import { chooseCamera } from '../../../src/backend/synth/camera'
import { Rng } from '../../../src/backend/synth/prng'
import { chooseVenue } from '../../../src/backend/synth/venue'

function backgroundDigest(seed: number): string {
  const cam = chooseCamera(new Rng(seed, 1), 320, 180)
  const venue = chooseVenue(new Rng(seed, 2))
  const bg = renderBackground(new Rng(seed, 4), cam, venue, 2)
  const h = createHash('sha256')
  for (const v of bg.variants) h.update(v)
  h.update(new Uint8Array(bg.noise.buffer))
  h.update(new Uint8Array(bg.net.alpha.buffer))
  h.update(bg.net.rgb)
  return h.digest('hex').slice(0, 16)
}

describe('background', () => {
  it('renders the same bytes as the generator always has for these seeds', () => {
    expect([1, 2, 3].map(backgroundDigest)).toEqual([
      'e196fcefa1179f1e',
      '033b6f3d85cdc541',
      'e4ce37c6388e217c'
    ])
  }, 60_000)

  it('traces a ray down to the floor, a level ray to the back boards and a rising one to the crowd', () => {
    const C: [number, number, number] = [0, -12, 0.5]
    const hit = emptyHit()
    traceHall(C, 0, 1, -0.1, hit)
    expect(hit.kind).toBe(HIT_FLOOR)
    expect(hit.t).toBeCloseTo(5)
    traceHall(C, 0.01, 1, 0, hit)
    expect(hit.kind).toBe(HIT_BOARD)
    expect(hit.side).toBe(0)
    expect(hit.t).toBeCloseTo(BACK_BOARDS_Y + 12)
    expect(hit.z).toBeCloseTo(0.5)
    traceHall(C, 0, 1, 0.5, hit)
    expect(hit.kind).toBe(HIT_CROWD)
    traceHall(C, 1, 0.2, 0, hit)
    expect(hit.kind).toBe(HIT_BOARD)
    expect(hit.side).toBe(1)
  })
})
