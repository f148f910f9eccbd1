// Runs in the backend (plain Node): the two players as simple articulated figures (legs, shorts, shoes, torso,
// head, racket arm with racket) posed from the plan at any time, projected to frame-pixel capsules for drawing and
// for the shuttle occlusion test.
import { project, type Camera } from './camera'
import type { Capsule } from './canvas'
import { playerAt, sideOf, type ClipPlan, type Hit, type Vec3 } from './rally'
import type { RGB, Venue } from './venue'

export interface PlayerFigure {
  shapes: Capsule[]
  /** Camera depth of the torso, used to order the player against the shuttle. */
  depth: number
}

const SWING_S = 0.28

function lit(c: RGB, gain: RGB, shade = 1): RGB {
  return [c[0] * gain[0] * shade, c[1] * gain[1] * shade, c[2] * gain[2] * shade]
}

function smooth(u: number): number {
  const c = u < 0 ? 0 : u > 1 ? 1 : u
  return c * c * (3 - 2 * c)
}

export class PlayerPoser {
  private readonly hitsByPlayer: [Hit[], Hit[]] = [[], []]

  constructor(
    private readonly plan: ClipPlan,
    private readonly cam: Camera,
    private readonly venue: Venue,
    private readonly gain: RGB
  ) {
    for (const h of plan.hits) this.hitsByPlayer[h.player].push(h)
  }

  private segIndex = 0

  /** Where the shuttle is held by this player's free hand (waiting to serve), or null. */
  private heldBy(player: 0 | 1, t: number): Vec3 | null {
    const segs = this.plan.segments
    if (segs.length === 0) return null
    if (t < segs[this.segIndex]!.t0) this.segIndex = 0
    while (this.segIndex < segs.length - 1 && t >= segs[this.segIndex]!.t1) this.segIndex++
    const seg = segs[this.segIndex]!
    if (seg.kind !== 'held' || t < seg.t0 || t >= seg.t1) return null
    const next = segs[this.segIndex + 1]
    return next && next.kind === 'flight' && next.player === player ? seg.pos : null
  }

  private nearestHit(player: 0 | 1, t: number): Hit | null {
    let best: Hit | null = null
    for (const h of this.hitsByPlayer[player]) {
      if (Math.abs(h.t - t) < SWING_S && (!best || Math.abs(h.t - t) < Math.abs(best.t - t))) best = h
      if (h.t > t + SWING_S) break
    }
    return best
  }

  figure(player: 0 | 1, t: number, sx: number, sy: number): PlayerFigure {
    const kit = this.venue.kits[player]!
    const side = sideOf(player)
    const feet = playerAt(this.plan.players[player], t)
    const right = -side
    const fwd = -side
    const hit = this.nearestHit(player, t)
    const w = hit ? smooth(1 - Math.abs(hit.t - t) / SWING_S) : 0
    // Jump for high overhead contacts, peaking at the hit.
    const lift = hit && hit.contact[2] > 2.5 ? (hit.contact[2] - 2.5) * w : 0
    const run = Math.min(1, feet.speed / 3.5)
    const phase = Math.sin(t * 11)
    const px = feet.x
    const py = feet.y
    const P = (dx: number, dy: number, z: number): Vec3 => [px + dx, py + dy, z + lift]
    const shapes: Capsule[] = []
    const cam = this.cam
    const add = (
      a: Vec3,
      b: Vec3,
      radius: number,
      color: RGB,
      alpha = 1,
      ring = 0,
      occludes = true
    ): void => {
      const pa = project(cam, a[0], a[1], a[2])
      const pb = project(cam, b[0], b[1], b[2])
      if (pa.depth <= 0.1 || pb.depth <= 0.1) return
      const r = (radius * cam.f) / ((pa.depth + pb.depth) / 2)
      shapes.push({
        x0: pa.u + sx,
        y0: pa.v + sy,
        x1: pb.u + sx,
        y1: pb.v + sy,
        r,
        color,
        alpha,
        ring: ring > 0 ? Math.max(1, (ring * cam.f) / pa.depth) : 0,
        occludes
      })
    }
    const g = this.gain
    const skin = lit(kit.skin, g)
    const shirt = lit(kit.shirt, g)
    const shorts = lit(kit.shorts, g)
    const shoe = lit([238, 238, 240], g)
    const hairC = lit(kit.hair, g)

    // Shadow on the floor (under the lights: a soft dark blob at the feet, not lifted with a jump).
    const pa = project(cam, px - 0.28, py, 0)
    const pb = project(cam, px + 0.28, py, 0)
    if (pa.depth > 0.1) {
      shapes.push({
        x0: pa.u + sx,
        y0: pa.v + sy,
        x1: pb.u + sx,
        y1: pb.v + sy,
        r: (0.13 * cam.f) / pa.depth,
        color: [0, 0, 0],
        alpha: 0.28,
        ring: 0,
        occludes: false
      })
    }
    // Legs: stance apart, swinging along y when running.
    const stride = 0.22 * run * phase
    for (const k of [-1, 1]) {
      const hip = P(right * 0.09 * k, 0, 0.9)
      const foot = P(right * 0.17 * k, stride * k * fwd, 0.07)
      const knee: Vec3 = [(hip[0] + foot[0]) / 2, (hip[1] + foot[1]) / 2 + fwd * 0.06, (hip[2] + foot[2]) / 2]
      add(hip, knee, 0.075, skin)
      add(knee, foot, 0.06, skin)
      add(foot, [foot[0], foot[1] + fwd * 0.2, foot[2] - 0.02], 0.05, shoe)
      add(hip, [hip[0], hip[1], hip[2] - 0.3], 0.09, shorts)
    }
    // Torso and head; the near player shows the back of the head (hair), the far one the face.
    add(P(0, 0, 1.0), P(0, 0, 1.38), 0.165, shirt)
    add(P(0, 0, 1.45), P(0, 0, 1.52), 0.05, skin)
    const head = P(0, 0, 1.64)
    add(head, head, 0.11, side < 0 ? hairC : skin)
    if (side > 0) add(P(0, -0.02 * fwd, 1.71), P(0, -0.02 * fwd, 1.73), 0.09, hairC)

    // Racket arm: idle in front at shoulder height, swept to the contact point around a hit.
    const shoulder = P(right * 0.2, 0, 1.43)
    const idle: Vec3 = [shoulder[0] + right * 0.25, shoulder[1] + fwd * 0.35, 1.6 + lift]
    let headPos = idle
    if (hit) {
      const c = hit.contact
      // Before the hit the racket comes from behind the body; after it follows through downwards.
      const before = t < hit.t
      const back: Vec3 = before
        ? [shoulder[0] + right * 0.1, shoulder[1] - fwd * 0.3, c[2] + 0.2]
        : [c[0], c[1] + fwd * 0.2, Math.max(0.4, c[2] - 0.7)]
      const u = w
      const v = 1 - w
      headPos = [
        c[0] * u + (back[0] * 0.6 + idle[0] * 0.4) * v,
        c[1] * u + (back[1] * 0.6 + idle[1] * 0.4) * v,
        c[2] * u + (back[2] * 0.6 + idle[2] * 0.4) * v
      ]
    }
    const dx = headPos[0] - shoulder[0]
    const dy = headPos[1] - shoulder[1]
    const dz = headPos[2] - shoulder[2]
    const reach = Math.hypot(dx, dy, dz) || 1
    const armLen = Math.min(0.6, reach * 0.5)
    const hand: Vec3 = [
      shoulder[0] + (dx / reach) * armLen,
      shoulder[1] + (dy / reach) * armLen,
      shoulder[2] + (dz / reach) * armLen
    ]
    const throat: Vec3 = [
      headPos[0] - (dx / reach) * 0.13,
      headPos[1] - (dy / reach) * 0.13,
      headPos[2] - (dz / reach) * 0.13
    ]
    add(shoulder, hand, 0.045, skin)
    add(hand, throat, 0.008, lit([40, 40, 44], g))
    add(headPos, headPos, 0.125, lit([210, 210, 200], g), 0.25, 0, false)
    add(headPos, headPos, 0.135, lit([30, 30, 30], g), 1, 0.014, false)
    // The free arm hangs, raised for balance during an overhead stroke.
    const free = P(-right * 0.2, 0, 1.43)
    const held = this.heldBy(player, t)
    const freeHand: Vec3 = held
      ? // Fingers hold the skirt just above the cork, so the hand sits a little above and behind the centre.
        [held[0] - right * 0.02, held[1] - fwd * 0.05, held[2] + 0.07]
      : hit && hit.contact[2] > 1.9
        ? [free[0] - right * 0.15, free[1] + fwd * 0.2, 1.9 + lift]
        : [free[0] - right * 0.12, free[1] + fwd * 0.1, 0.95 + lift]
    add(free, freeHand, 0.045, skin)
    const torso = project(cam, px, py, 1.2)
    return { shapes, depth: torso.depth }
  }
}
