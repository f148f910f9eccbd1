// Runs everywhere (shared): the motion signal the rally and hit finders read: the track bridged over short
// gaps, cleared of single-frame outliers, and its speed in pixels per frame measured over a short window (so a still shuttle with
// camera shake of a pixel or two does not look like flight).
import { bridgeGaps, despike, type Track } from './track'

export interface Motion {
  fps: number
  /** Visible or bridged. */
  present: boolean[]
  /** Interpolated across a bridged gap (not a measurement). */
  filled: boolean[]
  visible: boolean[]
  x: number[]
  y: number[]
  /** Speed in px/frame over ±half frames; 0 where not measurable. */
  speed: number[]
  half: number
}

/** spikePx: how far off a single frame must be to count as a false detection (see despike). */
export function measureMotion(track: Track, maxGap: number, spikePx: number): Motion {
  const b = bridgeGaps(track, maxGap)
  const [x, y] = despike(b.x, b.y, b.present, spikePx)
  const n = x.length
  const half = Math.max(1, Math.round(0.05 * track.fps))
  const speed = new Array<number>(n).fill(0)
  for (let i = 0; i < n; i++) {
    if (!b.present[i]) continue
    let lo = i
    let hi = i
    while (lo > i - half && lo > 0 && b.present[lo - 1]) lo--
    while (hi < i + half && hi < n - 1 && b.present[hi + 1]) hi++
    if (hi > lo) speed[i] = Math.hypot(x[hi]! - x[lo]!, y[hi]! - y[lo]!) / (hi - lo)
  }
  return { fps: track.fps, present: b.present, filled: b.filled, visible: track.visible, x, y, speed, half }
}
