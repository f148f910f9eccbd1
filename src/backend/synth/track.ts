// Runs in the backend (plain Node): the shuttle's position at any time of a planned clip, replaying flights from
// their launch states. Asked for increasing times (frame after frame), it keeps one flight cursor and never stores
// a trajectory, so memory stays flat however long the clip is.
import { Flight } from './physics'
import type { ClipPlan, Segment, Vec3 } from './rally'

export class ShuttleTrack {
  private index = 0
  private flight: Flight | null = null
  private flightIndex = -1

  constructor(private readonly plan: ClipPlan) {}

  /** Where the shuttle is at time t (court metres), or null while it is out of play. */
  at(t: number): Vec3 | null {
    return this.sample(t)?.pos ?? null
  }

  /** Position and speed (m/s) at time t, or null while the shuttle is out of play. */
  sample(t: number): { pos: Vec3; speed: number } | null {
    const segs = this.plan.segments
    if (segs.length === 0) return null
    if (t < segs[this.index]!.t0) this.index = 0
    while (this.index < segs.length - 1 && t >= segs[this.index]!.t1) this.index++
    const seg: Segment = segs[this.index]!
    if (t < seg.t0 || t >= seg.t1) return null
    switch (seg.kind) {
      case 'absent':
        return null
      case 'held':
      case 'rest':
        return { pos: seg.pos, speed: 0 }
      case 'flight': {
        if (this.flightIndex !== this.index || !this.flight) {
          this.flight = new Flight(seg.start, seg.t0)
          this.flightIndex = this.index
        }
        const s = this.flight.stateAt(t)
        return { pos: [s.x, s.y, s.z], speed: Math.hypot(s.vx, s.vy, s.vz) }
      }
    }
  }
}
