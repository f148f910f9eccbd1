// Runs in vitest (plain Node): the shuttle flight model: drag, terminal velocity, launch speeds, trajectory shape.
import { describe, expect, it } from 'vitest'
import {
  DRAG_K,
  Flight,
  flyToGround,
  GRAVITY,
  kmh,
  rk4Step,
  TERMINAL_VELOCITY,
  type State
} from '../../../src/backend/synth/physics'
import { Rng } from '../../../src/backend/synth/prng'
import { planShot } from '../../../src/backend/synth/shots'

function launch(speedKmh: number, elevDeg: number, z = 2.5): State {
  const v = speedKmh / 3.6
  const e = (elevDeg * Math.PI) / 180
  return { x: 0, y: -5.5, z, vx: 0, vy: v * Math.cos(e), vz: v * Math.sin(e) }
}

describe('shuttle physics', () => {
  it('reaches a terminal velocity of about 6.8 m/s in a long drop', () => {
    const g = flyToGround({ x: 0, y: 0, z: 60, vx: 0, vy: 0, vz: 0 }, 30)
    expect(Math.abs(g.landing.vz)).toBeCloseTo(6.8, 2)
    expect(TERMINAL_VELOCITY).toBe(6.8)
  })

  it('matches the closed form of a vertical fall with quadratic drag, v(t) = -vt tanh(g t / vt)', () => {
    let s: State = { x: 0, y: 0, z: 100, vx: 0, vy: 0, vz: 0 }
    for (let i = 0; i < 1000; i++) s = rk4Step(s)
    const expected = -TERMINAL_VELOCITY * Math.tanh((GRAVITY * 1) / TERMINAL_VELOCITY)
    expect(s.vz).toBeCloseTo(expected, 6)
  })

  it('starts a smash at the speed it was given and slows it down fast', () => {
    const start = launch(400, -10, 3.0)
    const f = new Flight(start, 0)
    expect(kmh(f.stateAt(0))).toBeCloseTo(400, 6)
    // Drag dominates gravity at these speeds, so v(t) ~ v0 / (1 + k v0 t): 400 km/h falls to about 224 km/h
    // within one frame at 30 fps, as real smash measurements show (fast start, fast decay).
    const v0 = 400 / 3.6
    for (const t of [1 / 60, 1 / 30, 0.1]) {
      const expected = (v0 / (1 + DRAG_K * v0 * t)) * 3.6
      expect(kmh(f.stateAt(t)) / expected).toBeCloseTo(1, 1)
    }
  })

  it('plans smashes between 260 and 400 km/h that clear the net and land in court', () => {
    const rng = new Rng(11)
    for (let i = 0; i < 5; i++) {
      const shot = planShot(rng, 'smash', [0.8, -5.0, 2.9], -1)
      expect(shot).not.toBeNull()
      const speed = kmh(shot!.state)
      expect(speed).toBeGreaterThanOrEqual(260)
      expect(speed).toBeLessThanOrEqual(400)
      expect(shot!.state.vz).toBeLessThan(0)
      expect(shot!.flight.netZ!).toBeGreaterThan(1.55)
      expect(shot!.flight.landing.y).toBeGreaterThan(0)
      expect(shot!.flight.landing.y).toBeLessThanOrEqual(6.7)
    }
  })

  it('makes the descent steeper and shorter than the ascent (drag)', () => {
    const start = launch(180, 45, 2.5)
    let s = start
    let apex = s
    const path: State[] = [s]
    while (s.z > 0) {
      s = rk4Step(s)
      path.push(s)
      if (s.z > apex.z) apex = s
    }
    const ascent = apex.y - start.y
    // Distance covered while coming back down to the launch height.
    const back = path.find((p) => p.y > apex.y && p.z <= start.z)!
    const descent = back.y - apex.y
    expect(descent).toBeLessThan(ascent * 0.6)
    const launchAngle = Math.atan2(start.vz, start.vy)
    const landAngle = Math.atan2(-back.vz, back.vy)
    expect(landAngle).toBeGreaterThan(launchAngle + 0.3)
  })

  it('replays a flight bit-identically whatever order times are asked in', () => {
    const start = launch(200, 30)
    const a = new Flight(start, 1)
    const b = new Flight(start, 1)
    const times = [1.1, 1.5, 2.25, 2.3]
    const forward = times.map((t) => a.stateAt(t))
    const backward = [...times]
      .reverse()
      .map((t) => b.stateAt(t))
      .reverse()
    expect(backward).toEqual(forward)
  })
})
