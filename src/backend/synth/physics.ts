// Runs in the backend (plain Node): shuttlecock flight. Gravity plus quadratic air drag, a = -g ez - (g/vt^2)|v|v,
// integrated with RK4 at a fixed 1 kHz step so that a flight replayed from the same launch state gives bit-identical
// positions (the planner and the renderer both replay flights; nothing stores whole trajectories).

export const GRAVITY = 9.81
/** Terminal velocity of a feather shuttle (measured values are 6.7-6.9 m/s). */
export const TERMINAL_VELOCITY = 6.8
export const DRAG_K = GRAVITY / (TERMINAL_VELOCITY * TERMINAL_VELOCITY)
export const STEP_S = 0.001

/** Position (m) and velocity (m/s) in court coordinates: x across, y along the court (net at y=0), z up. */
export interface State {
  x: number
  y: number
  z: number
  vx: number
  vy: number
  vz: number
}

export function kmh(state: State): number {
  return Math.hypot(state.vx, state.vy, state.vz) * 3.6
}

function accel(vx: number, vy: number, vz: number, out: number[]): void {
  const s = Math.sqrt(vx * vx + vy * vy + vz * vz) * DRAG_K
  out[0] = -s * vx
  out[1] = -s * vy
  out[2] = -GRAVITY - s * vz
}

const k1 = [0, 0, 0]
const k2 = [0, 0, 0]
const k3 = [0, 0, 0]
const k4 = [0, 0, 0]

/** One RK4 step of length dt. */
export function rk4Step(s: State, dt: number = STEP_S): State {
  const h = dt / 2
  accel(s.vx, s.vy, s.vz, k1)
  const v2x = s.vx + h * k1[0]!
  const v2y = s.vy + h * k1[1]!
  const v2z = s.vz + h * k1[2]!
  accel(v2x, v2y, v2z, k2)
  const v3x = s.vx + h * k2[0]!
  const v3y = s.vy + h * k2[1]!
  const v3z = s.vz + h * k2[2]!
  accel(v3x, v3y, v3z, k3)
  const v4x = s.vx + dt * k3[0]!
  const v4y = s.vy + dt * k3[1]!
  const v4z = s.vz + dt * k3[2]!
  accel(v4x, v4y, v4z, k4)
  return {
    x: s.x + (dt / 6) * (s.vx + 2 * v2x + 2 * v3x + v4x),
    y: s.y + (dt / 6) * (s.vy + 2 * v2y + 2 * v3y + v4y),
    z: s.z + (dt / 6) * (s.vz + 2 * v2z + 2 * v3z + v4z),
    vx: s.vx + (dt / 6) * (k1[0]! + 2 * k2[0]! + 2 * k3[0]! + k4[0]!),
    vy: s.vy + (dt / 6) * (k1[1]! + 2 * k2[1]! + 2 * k3[1]! + k4[1]!),
    vz: s.vz + (dt / 6) * (k1[2]! + 2 * k2[2]! + 2 * k3[2]! + k4[2]!)
  }
}

/** Cubic Hermite between two steps (uses the velocities, so frame-time samples stay as smooth as the 1 kHz path). */
function hermite(a: State, b: State, u: number, dt: number): State {
  const u2 = u * u
  const u3 = u2 * u
  const h00 = 2 * u3 - 3 * u2 + 1
  const h10 = (u3 - 2 * u2 + u) * dt
  const h01 = -2 * u3 + 3 * u2
  const h11 = (u3 - u2) * dt
  const lerp = (p: number, q: number): number => p + (q - p) * u
  return {
    x: h00 * a.x + h10 * a.vx + h01 * b.x + h11 * b.vx,
    y: h00 * a.y + h10 * a.vy + h01 * b.y + h11 * b.vy,
    z: h00 * a.z + h10 * a.vz + h01 * b.z + h11 * b.vz,
    vx: lerp(a.vx, b.vx),
    vy: lerp(a.vy, b.vy),
    vz: lerp(a.vz, b.vz)
  }
}

/**
 * A flight launched at t0 from a state: answers the state at any later time by stepping forward from a cached step.
 * Asking for increasing times (the usual case, frame after frame) costs only the new steps.
 */
export class Flight {
  private n = 0
  private cur: State
  private nxt: State

  constructor(
    readonly start: State,
    readonly t0: number
  ) {
    this.cur = start
    this.nxt = rk4Step(start)
  }

  stateAt(t: number): State {
    const rel = Math.max(0, (t - this.t0) / STEP_S)
    const k = Math.floor(rel)
    if (k < this.n) {
      // Going back in time is rare (a caller re-asking an earlier time): replay from the launch, still exact.
      this.n = 0
      this.cur = this.start
      this.nxt = rk4Step(this.start)
    }
    while (this.n < k) {
      this.cur = this.nxt
      this.nxt = rk4Step(this.cur)
      this.n++
    }
    return hermite(this.cur, this.nxt, rel - k, STEP_S)
  }
}

export interface GroundFlight {
  /** Seconds from launch until the shuttle reaches z = 0. */
  duration: number
  landing: State
  /** Height where the flight crosses the net plane y = 0, or null when it never does. */
  netZ: number | null
  netX: number | null
  apexZ: number
}

/** Flies a launch state until it touches the floor (or maxS passes) and reports what the shot planner needs. */
export function flyToGround(start: State, maxS = 8, dt: number = STEP_S): GroundFlight {
  let s = start
  let t = 0
  let netZ: number | null = null
  let netX: number | null = null
  let apexZ = start.z
  while (t < maxS) {
    const n = rk4Step(s, dt)
    if (netZ === null && s.y < 0 !== n.y < 0) {
      const u = s.y / (s.y - n.y)
      netZ = s.z + (n.z - s.z) * u
      netX = s.x + (n.x - s.x) * u
    }
    if (n.z > apexZ) apexZ = n.z
    if (n.z <= 0) {
      const u = s.z / (s.z - n.z)
      const landing = hermite(s, n, u, dt)
      return { duration: t + u * dt, landing: { ...landing, z: 0 }, netZ, netX, apexZ }
    }
    s = n
    t += dt
  }
  return { duration: t, landing: s, netZ, netX, apexZ }
}
