// Runs in the backend (plain Node): the one throttle of job progress events — at most one per interval, so a
// job that reports every frame does not flood the renderer; a forced one (a state change, the end) always goes.
export class Throttle {
  private last = -Infinity

  constructor(
    private readonly everyMs: number,
    private readonly now: () => number = Date.now
  ) {}

  /** True when an event may go now (and counts it as sent). */
  ready(force = false): boolean {
    const t = this.now()
    if (!force && t - this.last < this.everyMs) return false
    this.last = t
    return true
  }
}
