// Runs in vitest (plain Node): the broadcast camera: plausible poses for many seeds, the whole court in view, and
// the exported homography agreeing with the 3-D projection on the floor.
import { describe, expect, it } from 'vitest'
import { chooseCamera, cornersInImage, floorHomography, project } from '../../../src/backend/synth/camera'
import { COURT_HALF_LENGTH, NET_HEIGHT_POSTS } from '../../../src/backend/synth/court'
import { Rng } from '../../../src/backend/synth/prng'

describe('broadcast camera', () => {
  it('sits 6-10 m high and 5-12 m behind the near baseline, with the court, posts and far heads in view', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const cam = chooseCamera(new Rng(seed, 1), 1920, 1080)
      const [, y, z] = cam.position
      expect(z).toBeGreaterThanOrEqual(6)
      expect(z).toBeLessThanOrEqual(10)
      expect(-COURT_HALF_LENGTH - y).toBeGreaterThanOrEqual(5)
      expect(-COURT_HALF_LENGTH - y).toBeLessThanOrEqual(12)
      const inView: [number, number, number][] = [
        [-3.05, -6.7, 0],
        [3.05, -6.7, 0],
        [3.05, 6.7, 0],
        [-3.05, 6.7, 0],
        [-3.05, 0, NET_HEIGHT_POSTS],
        [3.05, 0, NET_HEIGHT_POSTS],
        [0, 6.7, 1.9]
      ]
      for (const [px, py, pz] of inView) {
        const q = project(cam, px, py, pz)
        expect(q.depth).toBeGreaterThan(0)
        expect(q.u).toBeGreaterThan(0)
        expect(q.u).toBeLessThan(1919)
        expect(q.v).toBeGreaterThan(0)
        expect(q.v).toBeLessThan(1079)
      }
    }
  })

  it('exports a floor homography that matches the projection of floor points', () => {
    const cam = chooseCamera(new Rng(3, 1), 1280, 720)
    const H = floorHomography(cam)
    for (const [x, y] of [
      [0, 0],
      [2.5, -4],
      [-3.05, 6.7],
      [1, 5.5]
    ] as const) {
      const w = H[6]! * x + H[7]! * y + H[8]!
      const q = project(cam, x, y, 0)
      expect((H[0]! * x + H[1]! * y + H[2]!) / w).toBeCloseTo(q.u, 6)
      expect((H[3]! * x + H[4]! * y + H[5]!) / w).toBeCloseTo(q.v, 6)
    }
    const corners = cornersInImage(cam)
    expect(corners).toHaveLength(4)
    // Near corners are lower in the image and further apart than the far ones (perspective from behind).
    expect(corners[0]![1]).toBeGreaterThan(corners[3]![1])
    expect(corners[1]![0] - corners[0]![0]).toBeGreaterThan(corners[2]![0] - corners[3]![0])
  })
})
