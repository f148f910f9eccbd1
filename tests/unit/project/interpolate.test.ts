// Runs in Node (Vitest): interpolation between labelled frames — linear is exact on a straight constant-speed
// path, ballistic follows a shuttle's drag-and-gravity flight better than linear, and the proposal is an edit
// that leaves human labels alone.
import { describe, expect, it } from 'vitest'
import {
  applyEdit,
  createColumns,
  getFrame,
  interpolateBallistic,
  interpolateLinear,
  markNotVisible,
  placePoint,
  proposeInterpolation,
  type Anchor
} from '@shared/project'

/** A shuttle under gravity and quadratic air drag, in pixels and frames (Euler steps, 10 per frame). */
function dragFlight(frames: number): Anchor[] {
  const g = 0.6
  const k = 0.012
  let x = 100
  let y = 600
  let vx = 30
  let vy = -28
  const out: Anchor[] = []
  for (let f = 0; f < frames; f++) {
    out.push({ frame: f, x, y })
    for (let s = 0; s < 10; s++) {
      const speed = Math.hypot(vx, vy)
      vx += (-k * speed * vx) / 10
      vy += (g - k * speed * vy) / 10
      x += vx / 10
      y += vy / 10
    }
  }
  return out
}

const maxError = (got: Anchor[], truth: Anchor[]): number =>
  Math.max(...got.map((p) => Math.hypot(p.x - truth[p.frame]!.x, p.y - truth[p.frame]!.y)))

describe('interpolation', () => {
  it('linear is exact for constant velocity', () => {
    const pts = interpolateLinear({ frame: 10, x: 0, y: 100 }, { frame: 14, x: 40, y: 60 })
    expect(pts).toEqual([
      { frame: 11, x: 10, y: 90 },
      { frame: 12, x: 20, y: 80 },
      { frame: 13, x: 30, y: 70 }
    ])
  })

  it('ballistic is closer than linear on a drag trajectory', () => {
    const truth = dragFlight(40)
    const [a, b] = [12, 28]
    const before = truth.slice(a - 3, a + 1)
    const after = truth.slice(b, b + 4)
    const linear = maxError(interpolateLinear(truth[a]!, truth[b]!), truth)
    const ballistic = maxError(interpolateBallistic(before, after), truth)
    expect(ballistic).toBeLessThan(linear / 4)
    expect(ballistic).toBeLessThan(3)
  })

  it('ballistic meets both endpoints and falls back to linear with only two points', () => {
    const pts = interpolateBallistic([{ frame: 0, x: 0, y: 0 }], [{ frame: 4, x: 8, y: 4 }])
    expect(pts).toEqual(interpolateLinear({ frame: 0, x: 0, y: 0 }, { frame: 4, x: 8, y: 4 }))
  })

  it('proposes an edit from the clip, taking anchors from the same flight and keeping human frames', () => {
    const truth = dragFlight(40)
    const c = createColumns(40)
    for (const f of [8, 9, 10, 11, 12, 28, 29, 30, 31]) applyEdit(c, placePoint(f, truth[f]!.x, truth[f]!.y))
    applyEdit(c, markNotVisible(7)) // another flight before this: not an anchor
    applyEdit(c, placePoint(20, 1, 1)) // a person's label inside the gap: kept
    const p = proposeInterpolation(c, 12, 28, 'ballistic')
    expect(p.problem).toBeNull()
    expect(p.points.map((q) => q.frame)).not.toContain(20)
    expect(p.points).toHaveLength(14)
    applyEdit(c, p.edit!)
    expect(getFrame(c, 15)).toMatchObject({
      visibility: 'visible',
      source: 'interpolated',
      review: 'unreviewed'
    })
    expect(getFrame(c, 20)).toMatchObject({ x: 1, y: 1, source: 'human' })
    expect(Math.hypot(c.x[16]! - truth[16]!.x, c.y[16]! - truth[16]!.y)).toBeLessThan(3)
  })

  it('says why it cannot interpolate', () => {
    const c = createColumns(10)
    applyEdit(c, placePoint(2, 5, 5))
    expect(proposeInterpolation(c, 2, 6, 'linear').problem).toMatch(/both have a visible point/)
    expect(proposeInterpolation(c, 2, 3, 'linear').problem).toMatch(/at least one frame between/)
  })
})
