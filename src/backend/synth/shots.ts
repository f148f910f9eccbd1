// Runs in the backend (plain Node): the badminton strokes and the solver that finds a launch (speed, elevation,
// azimuth) sending the shuttle from a contact point to a landing target over the net, with drag included.
import { COURT_HALF_LENGTH, COURT_HALF_WIDTH, netTopAt } from './court'
import { flyToGround, type GroundFlight, type State } from './physics'
import type { Rng } from './prng'

export type ShotType = 'short-serve' | 'long-serve' | 'clear' | 'drop' | 'smash' | 'net' | 'lift' | 'drive'

interface ShotSpec {
  /** Launch speed range in km/h. */
  speed: [number, number]
  /** Which side of the range-versus-elevation curve: high arcs (clears, lifts) or flat/downward shots. */
  branch: 'high' | 'low'
  /** Landing distance from the net on the receiver's side (m). */
  depth: [number, number]
}

const SPECS: Record<ShotType, ShotSpec> = {
  'short-serve': { speed: [32, 46], branch: 'low', depth: [2.02, 2.5] },
  'long-serve': { speed: [95, 140], branch: 'high', depth: [5.6, 6.5] },
  clear: { speed: [150, 230], branch: 'high', depth: [5.5, 6.5] },
  drop: { speed: [55, 90], branch: 'low', depth: [1.3, 2.9] },
  smash: { speed: [260, 400], branch: 'low', depth: [2.6, 5.6] },
  net: { speed: [14, 30], branch: 'high', depth: [0.35, 1.3] },
  lift: { speed: [95, 160], branch: 'high', depth: [5.3, 6.4] },
  drive: { speed: [90, 150], branch: 'low', depth: [3.5, 6.2] }
}

export interface Launch {
  type: ShotType
  state: State
  flight: GroundFlight
}

const DEG = Math.PI / 180
const SEARCH_STEP_S = 0.005

function launchState(from: [number, number, number], speed: number, azimuth: number, elev: number): State {
  const c = Math.cos(elev)
  return {
    x: from[0],
    y: from[1],
    z: from[2],
    vx: speed * c * Math.sin(azimuth),
    vy: speed * c * Math.cos(azimuth),
    vz: speed * Math.sin(elev)
  }
}

/**
 * Elevation (rad) that lands a shot of this speed and azimuth at horizontal distance `dist`, on the requested
 * branch, or null when the speed cannot reach it. With drag the range peaks well below 45 degrees.
 */
function solveElevation(
  from: [number, number, number],
  speed: number,
  azimuth: number,
  dist: number,
  branch: 'high' | 'low'
): number | null {
  // The search flies many candidate shots; a 5 ms RK4 step is plenty for choosing an angle (the chosen shot is
  // then checked, and later replayed, at the exact 1 kHz step).
  const range = (e: number): number => {
    const g = flyToGround(launchState(from, speed, azimuth, e), 8, SEARCH_STEP_S)
    return Math.hypot(g.landing.x - from[0], g.landing.y - from[1])
  }
  let best = -40 * DEG
  let bestR = -1
  for (let e = -40 * DEG; e <= 80 * DEG; e += 4 * DEG) {
    const r = range(e)
    if (r > bestR) {
      bestR = r
      best = e
    }
  }
  if (bestR < dist) return null
  let lo = branch === 'high' ? best : -40 * DEG
  let hi = branch === 'high' ? 85 * DEG : best
  const rangeLo = range(lo)
  const rangeHi = range(hi)
  // Range rises with elevation on the low branch and falls on the high one.
  if (branch === 'low' && rangeLo > dist) return null
  if (branch === 'high' && rangeHi > dist) return null
  for (let i = 0; i < 28; i++) {
    const mid = (lo + hi) / 2
    const r = range(mid)
    if (r < dist === (branch === 'low')) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

/**
 * Plans one stroke from a contact point towards the other half (side: the hitter's half, -1 near, +1 far).
 * Tries a few random targets and speeds; returns null when none clears the net and lands in court.
 */
export function planShot(
  rng: Rng,
  type: ShotType,
  from: [number, number, number],
  side: -1 | 1
): Launch | null {
  const spec = SPECS[type]
  for (let attempt = 0; attempt < 8; attempt++) {
    const depth = rng.range(spec.depth[0], spec.depth[1])
    const tx = rng.range(-COURT_HALF_WIDTH + 0.45, COURT_HALF_WIDTH - 0.45)
    const ty = -side * Math.min(depth, COURT_HALF_LENGTH - 0.15)
    const speed = rng.range(spec.speed[0], spec.speed[1]) / 3.6
    const azimuth = Math.atan2(tx - from[0], ty - from[1])
    const dist = Math.hypot(tx - from[0], ty - from[1])
    // Gentle strokes (serves, net shots, drives) can often be played on either branch: try the other one too.
    const branches: ('high' | 'low')[] = [spec.branch]
    if (type === 'short-serve' || type === 'net' || type === 'drive') {
      branches.push(spec.branch === 'high' ? 'low' : 'high')
    }
    for (const branch of branches) {
      const elev = solveElevation(from, speed, azimuth, dist, branch)
      if (elev === null) continue
      // A lob is not a drive: the other branch only counts while it stays flat.
      if (type === 'drive' && elev > 20 * DEG) continue
      const state = launchState(from, speed, azimuth, elev)
      const flight = flyToGround(state)
      if (flight.netZ === null || flight.netX === null) continue
      // Clear the tape by a few centimetres.
      if (flight.netZ < netTopAt(flight.netX) + 0.06) continue
      if (Math.abs(flight.landing.x) > COURT_HALF_WIDTH || Math.abs(flight.landing.y) > COURT_HALF_LENGTH)
        continue
      return { type, state, flight }
    }
  }
  return null
}
