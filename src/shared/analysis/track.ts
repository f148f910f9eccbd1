// Runs everywhere (shared): a shuttle track as the analysis reads it — one entry per frame (visible, x, y in
// video pixels) at a frame rate — made dense from label points, with short gaps bridged and the positions
// smoothed against label noise.
import type { LabelPoint } from '../labels/types'

export interface Track {
  fps: number
  visible: boolean[]
  x: number[]
  y: number[]
}

/** Frame-indexed arrays from label points (missing frames count as not visible). */
export function trackFromPoints(points: readonly LabelPoint[], fps: number, frameCount?: number): Track {
  const n = Math.max(frameCount ?? 0, ...points.map((p) => p.frame + 1), 0)
  const t: Track = {
    fps,
    visible: new Array<boolean>(n).fill(false),
    x: new Array<number>(n).fill(0),
    y: new Array<number>(n).fill(0)
  }
  for (const p of points) {
    if (p.frame < 0 || p.frame >= n || !Number.isInteger(p.frame)) continue
    t.visible[p.frame] = p.visible
    t.x[p.frame] = p.x
    t.y[p.frame] = p.y
  }
  return t
}

export interface Bridged {
  /** Visible, or inside a bridged gap. */
  present: boolean[]
  /** True where the position was interpolated across a gap. */
  filled: boolean[]
  x: number[]
  y: number[]
}

/** Fills invisible runs of at most maxGap frames between two visible frames by linear interpolation. */
export function bridgeGaps(t: Track, maxGap: number): Bridged {
  const n = t.visible.length
  const present = t.visible.slice()
  const filled = new Array<boolean>(n).fill(false)
  const x = t.x.slice()
  const y = t.y.slice()
  let last = -1
  for (let i = 0; i < n; i++) {
    if (!t.visible[i]) continue
    const gap = i - last - 1
    if (last >= 0 && gap > 0 && gap <= maxGap) {
      for (let k = last + 1; k < i; k++) {
        const u = (k - last) / (i - last)
        x[k] = t.x[last]! + (t.x[i]! - t.x[last]!) * u
        y[k] = t.y[last]! + (t.y[i]! - t.y[last]!) * u
        present[k] = true
        filled[k] = true
      }
    }
    last = i
  }
  return { present, filled, x, y }
}

/**
 * Removes single-frame outliers (a tracker's false detection) but keeps the sharp corners of hits: a point is an
 * outlier when the straight-line predictions from the two frames on either side agree with each other and both
 * miss it by more than tol pixels (at a hit they disagree). A median filter would clip those corners.
 */
export function despike(
  x: readonly number[],
  y: readonly number[],
  present: readonly boolean[],
  tol: number
): [number[], number[]] {
  const ox = x.slice()
  const oy = y.slice()
  for (let i = 2; i < x.length - 2; i++) {
    if (!present[i - 2] || !present[i - 1] || !present[i] || !present[i + 1] || !present[i + 2]) continue
    const lx = 2 * x[i - 1]! - x[i - 2]!
    const ly = 2 * y[i - 1]! - y[i - 2]!
    const rx = 2 * x[i + 1]! - x[i + 2]!
    const ry = 2 * y[i + 1]! - y[i + 2]!
    if (Math.hypot(lx - rx, ly - ry) > tol) continue
    const mx = (lx + rx) / 2
    const my = (ly + ry) / 2
    if (Math.hypot(x[i]! - mx, y[i]! - my) > tol) {
      ox[i] = (x[i - 1]! + x[i + 1]!) / 2
      oy[i] = (y[i - 1]! + y[i + 1]!) / 2
    }
  }
  return [ox, oy]
}

/** Runs [start, end] (inclusive) of consecutive true entries. */
export function runsOf(flags: readonly boolean[]): [number, number][] {
  const runs: [number, number][] = []
  let s = -1
  for (let i = 0; i <= flags.length; i++) {
    if (i < flags.length && flags[i]) {
      if (s < 0) s = i
    } else if (s >= 0) {
      runs.push([s, i - 1])
      s = -1
    }
  }
  return runs
}
