// Runs in the backend (plain Node): plans a clip's play as data: rallies of strokes (serve, clears, drops, smashes,
// net shots, lifts, drives) between a near and a far player, each rally ending with the shuttle landing on court.
// The plan holds launch states and times only, so its size grows with the number of strokes, not with frames.
import { COURT_HALF_LENGTH } from './court'
import { Flight, kmh, rk4Step, STEP_S, type State } from './physics'
import type { Rng } from './prng'
import { planShot, type Launch, type ShotType } from './shots'

export type Vec3 = [number, number, number]

export type Segment =
  | { kind: 'absent'; t0: number; t1: number }
  | { kind: 'held'; t0: number; t1: number; pos: Vec3 }
  | { kind: 'flight'; t0: number; t1: number; start: State; shot: ShotType; player: 0 | 1 }
  | { kind: 'rest'; t0: number; t1: number; pos: Vec3 }

export interface Hit {
  t: number
  player: 0 | 1
  shot: ShotType
  speedKmh: number
  contact: Vec3
}

export interface PlayerKey {
  t: number
  x: number
  y: number
}

export interface ClipPlan {
  duration: number
  segments: Segment[]
  hits: Hit[]
  landings: { t: number; pos: Vec3 }[]
  /** Feet positions over time: [near player (y < 0), far player (y > 0)]. */
  players: [PlayerKey[], PlayerKey[]]
}

/** Player 0 plays the near half (y < 0), player 1 the far half. */
export function sideOf(player: 0 | 1): -1 | 1 {
  return player === 0 ? -1 : 1
}

/** Where a right-handed player's feet are when the racket meets the shuttle at `c`. */
export function feetForContact(player: 0 | 1, c: Vec3): [number, number] {
  const side = sideOf(player)
  // Facing the net: the near player's right is +x, the far player's right is -x.
  const right = -side
  const forward = -side
  // Overhead strokes are met above the racket shoulder; low ones in front of the body, which is why the near
  // player's body so often hides the shuttle around a net shot or a lift on TV.
  const lateral = 0.3
  const ahead = c[2] > 1.9 ? 0.2 : 0.5
  const x = Math.max(-3.9, Math.min(3.9, c[0] - right * lateral))
  let y = c[1] - forward * ahead
  y = side < 0 ? Math.min(-0.45, Math.max(-7.6, y)) : Math.max(0.45, Math.min(7.6, y))
  return [x, y]
}

interface Intercept {
  t: number
  state: State
}

/**
 * When the receiver meets the shuttle: the first time after it crosses the net that it comes down through height
 * `hz`; if it is already below that when it crosses (smashes, drives), most of the way to its landing instead.
 */
function findIntercept(launch: Launch, hz: number, frac: number): Intercept | null {
  let s = launch.state
  let t = 0
  let crossedAt = -1
  const end = launch.flight.duration
  while (t < end) {
    const n = rk4Step(s)
    if (crossedAt < 0 && s.y < 0 !== n.y < 0) {
      crossedAt = t
      if (n.z < hz) break
    }
    if (crossedAt >= 0 && n.vz < 0 && s.z >= hz && n.z < hz) {
      const u = (s.z - hz) / (s.z - n.z)
      const ti = t + u * STEP_S
      return { t: ti, state: new Flight(launch.state, 0).stateAt(ti) }
    }
    s = n
    t += STEP_S
  }
  if (crossedAt < 0) return null
  const ti = crossedAt + (end - crossedAt) * frac
  return { t: ti, state: new Flight(launch.state, 0).stateAt(ti) }
}

function replyOptions(received: ShotType, c: Vec3): [ShotType, number][] {
  const deep = Math.abs(c[1]) > 3.2
  if (c[2] > 1.9)
    return deep
      ? [
          ['clear', 3],
          ['drop', 3],
          ['smash', 4]
        ]
      : [
          ['drop', 2],
          ['smash', 3],
          ['drive', 1]
        ]
  if (received === 'smash' || received === 'drive')
    return [
      ['lift', 5],
      ['drive', 2.5],
      ['net', 2.5]
    ]
  return deep
    ? [
        ['lift', 6],
        ['drive', 3],
        ['drop', 1]
      ]
    : [
        ['net', 4.5],
        ['lift', 5.5]
      ]
}

function interceptHeight(rng: Rng, received: ShotType): [number, number] {
  switch (received) {
    case 'clear':
    case 'lift':
    case 'long-serve':
      return [rng.range(2.1, 2.85), 0.8]
    case 'smash':
    case 'drive':
      return [rng.range(0.5, 1.3), rng.range(0.7, 0.9)]
    default:
      return [rng.range(0.25, 0.9), rng.range(0.75, 0.92)]
  }
}

function base(rng: Rng, player: 0 | 1): [number, number] {
  return [rng.range(-0.5, 0.5), sideOf(player) * rng.range(3.0, 3.8)]
}

/** Plans play filling `duration` seconds (the last rally may be cut by the clip's end). */
export function planClip(rng: Rng, duration: number): ClipPlan {
  const segments: Segment[] = []
  const hits: Hit[] = []
  const landings: { t: number; pos: Vec3 }[] = []
  const keys: [PlayerKey[], PlayerKey[]] = [[], []]
  const b0 = base(rng, 0)
  const b1 = base(rng, 1)
  keys[0].push({ t: 0, x: b0[0], y: b0[1] })
  keys[1].push({ t: 0, x: b1[0], y: b1[1] })
  const key = (p: 0 | 1, t: number, x: number, y: number): void => {
    const list = keys[p]
    const last = list[list.length - 1]
    // Keys must advance in time; a later decision at the same instant replaces the earlier one.
    if (last && t <= last.t + 1e-6) {
      last.x = x
      last.y = y
      return
    }
    list.push({ t, x, y })
  }

  let t = rng.range(0.3, 1.0)
  segments.push({ kind: 'absent', t0: 0, t1: t })
  while (t < duration) {
    // Serve: the server stands behind the short service line, the receiver diagonally opposite.
    const server: 0 | 1 = rng.chance(0.5) ? 0 : 1
    const receiver: 0 | 1 = server === 0 ? 1 : 0
    const sSide = sideOf(server)
    const lane = rng.chance(0.5) ? 1 : -1
    const sx = lane * rng.range(0.3, 1.3)
    const sy = sSide * rng.range(2.25, 2.9)
    key(server, t, sx, sy)
    key(receiver, t, -sx * rng.range(0.5, 1.1), -sSide * rng.range(2.5, 3.3))
    // Held out in front of the body by the free hand (below 1.15 m, as the serve law requires).
    const contact: Vec3 = [sx + (sSide < 0 ? 0.05 : -0.05), sy - sSide * 0.45, rng.range(0.95, 1.12)]
    const hold = rng.range(0.5, 0.9)
    segments.push({ kind: 'held', t0: t, t1: t + hold, pos: contact })
    t += hold
    key(server, t, sx, sy)

    let launch = planShot(rng, rng.chance(0.65) ? 'short-serve' : 'long-serve', contact, sSide)
    launch ??= planShot(rng, 'long-serve', contact, sSide)
    if (!launch) throw new Error('the rally planner could not find a serve (should not happen)')
    let hitter: 0 | 1 = server
    const strokes = rng.weighted<number>([
      [2, 1],
      [4, 2],
      [6, 2],
      [9, 2],
      [14, 1]
    ])
    let stroke = 1
    for (;;) {
      hits.push({
        t,
        player: hitter,
        shot: launch.type,
        speedKmh: kmh(launch.state),
        contact: [launch.state.x, launch.state.y, launch.state.z]
      })
      const other: 0 | 1 = hitter === 0 ? 1 : 0
      // The hitter drifts back towards base while the shuttle is away.
      const back = base(rng, hitter)
      key(hitter, t + Math.min(0.9, launch.flight.duration * 0.6), back[0], back[1])
      let next: { launch: Launch; intercept: Intercept } | null = null
      if (stroke < strokes) {
        const [hz, frac] = interceptHeight(rng, launch.type)
        const icpt = findIntercept(launch, hz, frac)
        if (icpt && Math.abs(icpt.state.x) < 3.4 && Math.abs(icpt.state.y) < COURT_HALF_LENGTH + 0.3) {
          const c: Vec3 = [icpt.state.x, icpt.state.y, icpt.state.z]
          const first = rng.weighted(replyOptions(launch.type, c))
          // Fall back to strokes that fit the contact height when the first choice cannot be played from there.
          const order: ShotType[] =
            c[2] > 1.9 ? [first, 'clear', 'drop', 'drive', 'lift'] : [first, 'lift', 'net', 'drive', 'clear']
          for (const type of order) {
            const reply = planShot(rng, type, c, sideOf(other))
            if (reply) {
              next = { launch: reply, intercept: icpt }
              break
            }
          }
        }
      }
      if (!next) {
        const end = t + launch.flight.duration
        segments.push({
          kind: 'flight',
          t0: t,
          t1: end,
          start: launch.state,
          shot: launch.type,
          player: hitter
        })
        const l = launch.flight.landing
        const pos: Vec3 = [l.x, l.y, 0]
        landings.push({ t: end, pos })
        // The player who missed lunges towards it.
        const reach = feetForContact(other, [l.x, l.y, 0.3])
        key(other, end, reach[0], reach[1])
        const rest = rng.range(0.8, 1.6)
        segments.push({ kind: 'rest', t0: end, t1: end + rest, pos })
        const gap = rng.range(0.8, 1.6)
        segments.push({ kind: 'absent', t0: end + rest, t1: end + rest + gap })
        t = end + rest + gap
        break
      }
      const th = t + next.intercept.t
      segments.push({ kind: 'flight', t0: t, t1: th, start: launch.state, shot: launch.type, player: hitter })
      const feet = feetForContact(other, [
        next.intercept.state.x,
        next.intercept.state.y,
        next.intercept.state.z
      ])
      key(other, th, feet[0], feet[1])
      t = th
      hitter = other
      launch = next.launch
      stroke++
    }
  }
  return { duration, segments, hits, landings, players: keys }
}

/** A feet position along the keys, eased so players accelerate and stop like people. */
export function playerAt(keys: readonly PlayerKey[], t: number): { x: number; y: number; speed: number } {
  const first = keys[0]
  if (!first) return { x: 0, y: 0, speed: 0 }
  if (t <= first.t) return { x: first.x, y: first.y, speed: 0 }
  // Binary search for the key span containing t.
  let lo = 0
  let hi = keys.length - 1
  if (t >= keys[hi]!.t) return { x: keys[hi]!.x, y: keys[hi]!.y, speed: 0 }
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if (keys[mid]!.t <= t) lo = mid
    else hi = mid
  }
  const a = keys[lo]!
  const b = keys[hi]!
  const span = b.t - a.t
  const u = (t - a.t) / span
  const e = u * u * (3 - 2 * u)
  const de = (6 * u * (1 - u)) / span
  const dist = Math.hypot(b.x - a.x, b.y - a.y)
  return { x: a.x + (b.x - a.x) * e, y: a.y + (b.y - a.y) * e, speed: dist * de }
}
