// Runs everywhere (shared): the shuttlecock's flight model: gravity plus quadratic air drag,
// a = −g·ez − (g / vt²)·|v|·v, integrated with RK4. A feather shuttle's terminal velocity vt is about 6.8 m/s
// (measured 6.7–6.9); drag slows a 300 km/h smash to half its speed within about 50 ms, so any speed measured
// after the hit must be carried back to the contact through this model.
import type { Point3 } from './court'

export const GRAVITY = 9.81
export const TERMINAL_VELOCITY = 6.8
export const DRAG_K = GRAVITY / (TERMINAL_VELOCITY * TERMINAL_VELOCITY)
/** Integration step (s): RK4 at 2 ms keeps position errors far below a millimetre over a flight. */
const STEP = 0.002

/** Position (m) and velocity (m/s) in court coordinates. */
export type FlightState = [number, number, number, number, number, number]

/** One RK4 step of length h (negative: backwards), written out in scalars: fits call it millions of times. */
function rk4(s: number[], h: number): void {
  const [x, y, z, vx, vy, vz] = s as [number, number, number, number, number, number]
  const k = DRAG_K
  let sp = k * Math.sqrt(vx * vx + vy * vy + vz * vz)
  const a1x = -sp * vx
  const a1y = -sp * vy
  const a1z = -GRAVITY - sp * vz
  const v2x = vx + (h / 2) * a1x
  const v2y = vy + (h / 2) * a1y
  const v2z = vz + (h / 2) * a1z
  sp = k * Math.sqrt(v2x * v2x + v2y * v2y + v2z * v2z)
  const a2x = -sp * v2x
  const a2y = -sp * v2y
  const a2z = -GRAVITY - sp * v2z
  const v3x = vx + (h / 2) * a2x
  const v3y = vy + (h / 2) * a2y
  const v3z = vz + (h / 2) * a2z
  sp = k * Math.sqrt(v3x * v3x + v3y * v3y + v3z * v3z)
  const a3x = -sp * v3x
  const a3y = -sp * v3y
  const a3z = -GRAVITY - sp * v3z
  const v4x = vx + h * a3x
  const v4y = vy + h * a3y
  const v4z = vz + h * a3z
  sp = k * Math.sqrt(v4x * v4x + v4y * v4y + v4z * v4z)
  const a4x = -sp * v4x
  const a4y = -sp * v4y
  const a4z = -GRAVITY - sp * v4z
  s[0] = x + (h / 6) * (vx + 2 * v2x + 2 * v3x + v4x)
  s[1] = y + (h / 6) * (vy + 2 * v2y + 2 * v3y + v4y)
  s[2] = z + (h / 6) * (vz + 2 * v2z + 2 * v3z + v4z)
  s[3] = vx + (h / 6) * (a1x + 2 * a2x + 2 * a3x + a4x)
  s[4] = vy + (h / 6) * (a1y + 2 * a2y + 2 * a3y + a4y)
  s[5] = vz + (h / 6) * (a1z + 2 * a2z + 2 * a3z + a4z)
}

/** Flies the state forward (or backward, for negative times) to each relative time; one pass per direction. */
export function statesAt(start: FlightState, rel: readonly number[]): FlightState[] {
  const out: FlightState[] = new Array(rel.length)
  for (const dir of [1, -1]) {
    const idx = rel.map((_, i) => i).filter((i) => (dir > 0 ? rel[i]! >= 0 : rel[i]! < 0))
    idx.sort((a, b) => dir * (rel[a]! - rel[b]!))
    const s: number[] = start.slice()
    let t = 0
    for (const i of idx) {
      const target = Math.abs(rel[i]!)
      while (t < target - 1e-12) {
        const h = Math.min(STEP, target - t)
        rk4(s, dir * h)
        t += h
      }
      out[i] = s.slice() as FlightState
    }
  }
  return out
}

export function positionsAt(start: FlightState, rel: readonly number[]): Point3[] {
  return statesAt(start, rel).map((s) => [s[0], s[1], s[2]])
}

export function speedKmh(s: FlightState): number {
  return Math.hypot(s[3], s[4], s[5]) * 3.6
}
