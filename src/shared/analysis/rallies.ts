// Runs everywhere (shared): rally segmentation. A rally is a run of mostly-visible frames in which the shuttle
// moves (short invisible gaps bridged, short still spells tolerated); it starts when the shuttle leaves the
// server's hand (or first appears moving) and ends where it comes to rest (the landing) or disappears.
import type { Point2 } from './court'
import { fitPath } from './local-fit'
import type { Motion } from './motion'
import { frames, type AnalysisOptions } from './options'
import { runsOf } from './track'
import { median } from '../median'

export interface RallySpan {
  /** First and last moving frame (inclusive). */
  start: number
  end: number
  /** When the rally's first stroke happened (fractional frame) and how it was found. */
  onset: { frame: number; image: Point2; kind: 'serve' | 'first-seen' }
  /**
   * Where the shuttle ended: where it touched down before coming to rest (atRest; frame and position of the
   * touch-down, before any skid), or its last position when it vanished.
   */
  landing: { frame: number; image: Point2; atRest: boolean }
  /** Share of the rally's frames that are real detections (not bridged). */
  visibleShare: number
}

/** The still frames (present, slow) directly before `from` or after it, up to `limit` of them. */
function stillRun(m: Motion, from: number, dir: -1 | 1, thr: number, limit: number): number[] {
  const out: number[] = []
  for (let i = from; i >= 0 && i < m.present.length && out.length < limit; i += dir) {
    if (!m.present[i] || m.speed[i]! > thr) break
    if (m.visible[i]) out.push(i)
  }
  return out
}

function nearEdge(m: Motion, i: number, size: { width: number; height: number }, margin: number): boolean {
  const d = margin * size.height
  return m.x[i]! < d || m.y[i]! < d || m.x[i]! > size.width - 1 - d || m.y[i]! > size.height - 1 - d
}

/**
 * Joins moving runs separated only by invisible frames: always when the shuttle was unseen no longer than
 * maxOcclusionSeconds (hidden by a player, missed by the tracker: no rally ends and restarts that fast), and up to
 * maxOffFrameSeconds when it left the frame near an edge and came back near one (a clear or lift above the top
 * of a broadcast frame).
 */
function joinOffFrame(
  m: Motion,
  runs: [number, number][],
  o: AnalysisOptions,
  size: { width: number; height: number }
): [number, number][] {
  const out: [number, number][] = []
  const maxOff = frames(o.maxOffFrameSeconds, m.fps)
  const maxHidden = frames(o.maxOcclusionSeconds, m.fps)
  for (const r of runs) {
    const last = out[out.length - 1]
    const gap = last ? r[0] - last[1] - 1 : Infinity
    if (last && gap <= maxHidden && m.present.slice(last[1] + 1, r[0]).every((p) => !p)) {
      last[1] = r[1]
      continue
    }
    if (last && gap <= maxOff) {
      let lastSeen = last[1]
      while (lastSeen > last[0] && !m.visible[lastSeen]) lastSeen--
      let firstSeen = r[0]
      while (firstSeen < r[1] && !m.visible[firstSeen]) firstSeen++
      const unseen = m.present.slice(last[1] + 1, r[0]).every((p) => !p)
      if (unseen && nearEdge(m, lastSeen, size, o.edgeMargin) && nearEdge(m, firstSeen, size, o.edgeMargin)) {
        last[1] = r[1]
        continue
      }
    }
    out.push([r[0], r[1]])
  }
  return out
}

/**
 * The still spell (end, next) (exclusive) after a moving run is a touch-down, not an apex seen end-on: it lasts
 * minRestSeconds and the shuttle was coming down the image fast just before it (at an apex it was rising or
 * level). The windowed speed stays high `half` frames past the touch-down, so both are read `half` frames back.
 */
export function touchedDown(m: Motion, end: number, next: number, o: AnalysisOptions, thr: number): boolean {
  const still = next - end - 1
  if (still < Math.max(2, frames(o.minRestSeconds, m.fps) - m.half)) return false
  const k = end - m.half
  const w = 3
  if (k - w < 0 || !m.present[k] || !m.present[k - w]) return false
  return (m.y[k]! - m.y[k - w]!) / w > 3 * thr
}

export function segmentRallies(
  m: Motion,
  o: AnalysisOptions,
  size: { width: number; height: number }
): RallySpan[] {
  const fps = m.fps
  const thr = (o.stillHeightsPerSecond * size.height) / fps
  const moving = m.speed.map((s, i) => m.present[i]! && s > thr)
  // Tolerate short still spells (an apex seen end-on) inside a rally.
  const maxStill = frames(o.maxStillSeconds, fps)
  const runs = runsOf(moving)
  const merged: [number, number][] = []
  for (const r of runs) {
    const last = merged[merged.length - 1]
    const gapAllPresent = last && m.present.slice(last[1] + 1, r[0]).every(Boolean)
    if (last && r[0] - last[1] - 1 <= maxStill && gapAllPresent && !touchedDown(m, last[1], r[0], o, thr))
      last[1] = r[1]
    else merged.push([r[0], r[1]])
  }
  const spans: RallySpan[] = []
  for (const [s0, e0] of joinOffFrame(m, merged, o, size)) {
    if (e0 - s0 + 1 < frames(o.minRallySeconds, fps, 2)) continue
    let real = 0
    for (let i = s0; i <= e0; i++) if (m.visible[i]) real++
    // Off-frame spells are part of the rally but not counted against it: the share is of the frames in view.
    let inView = 0
    for (let i = s0; i <= e0; i++) if (m.present[i]) inView++
    const visibleShare = real / Math.max(1, inView)
    if (visibleShare < o.minVisibleShare) continue
    spans.push({
      start: s0,
      end: e0,
      onset: findOnset(m, s0, e0, thr),
      landing: findLanding(m, s0, e0, thr),
      visibleShare
    })
  }
  return spans
}

/** The serve: where the straight-line start of the flight meets the held position; else the first moving frame. */
function findOnset(m: Motion, s0: number, e0: number, thr: number): RallySpan['onset'] {
  const held = stillRun(m, s0 - 1, -1, thr, 8)
  // The windowed speed rises a few frames early; the flight proper starts where the position leaves the hand.
  const w = Math.max(3, Math.round(0.1 * m.fps))
  if (held.length >= 2) {
    const hx = median(held.map((i) => m.x[i]!))
    const hy = median(held.map((i) => m.y[i]!))
    const tol = Math.max(1.5, thr)
    let first = s0
    while (first <= e0 && Math.hypot(m.x[first]! - hx, m.y[first]! - hy) <= tol) first++
    const fs: number[] = []
    for (let i = first; i <= Math.min(e0, first + w) && fs.length < w; i++) if (m.visible[i]) fs.push(i)
    const fit =
      fs.length >= 2
        ? fitPath(
            fs,
            fs.map((i) => m.x[i]!),
            fs.map((i) => m.y[i]!),
            1
          )
        : null
    let t = first - 0.5
    if (fit) {
      // Time at which the outgoing line passes closest to the held point.
      let best = Infinity
      for (let tt = first - 1.5; tt <= first; tt += 0.05) {
        const d = Math.hypot(fit.x.at(tt) - hx, fit.y.at(tt) - hy)
        if (d < best) {
          best = d
          t = tt
        }
      }
    }
    return { frame: t, image: [hx, hy], kind: 'serve' }
  }
  let first = s0
  while (first > 0 && m.present[first - 1]) first--
  return { frame: first, image: [m.x[first]!, m.y[first]!], kind: 'first-seen' }
}

/**
 * The landing: where the flight meets the floor. A shuttle often skids or tumbles a little way after it touches
 * down (a broadcast shows it sliding ~20 px over ~15 frames) before it rests, so the touch-down is the frame
 * where the speed falls sharply from flight to a crawl; without such a drop, where the flight reaches the resting
 * position; without a rest, the last position seen.
 */
function findLanding(m: Motion, s0: number, e0: number, thr: number): RallySpan['landing'] {
  const rest = stillRun(m, e0 + 1, 1, thr, 8)
  if (rest.length >= 2) {
    const rx = median(rest.map((i) => m.x[i]!))
    const ry = median(rest.map((i) => m.y[i]!))
    const tol = Math.max(1.5, thr)
    // The windowed speed stays high a few frames past the landing; the flight proper ends where it reaches rest.
    let last = e0 + 1
    while (last > s0 && Math.hypot(m.x[last - 1]! - rx, m.y[last - 1]! - ry) <= tol) last--
    const touch = touchDownFrame(m, s0, last, thr)
    if (touch !== null) return { frame: touch, image: [m.x[touch]!, m.y[touch]!], atRest: true }
    return { frame: last, image: [rx, ry], atRest: true }
  }
  let last = e0
  while (last > 0 && !m.visible[last]) last--
  return { frame: last, image: [m.x[last]!, m.y[last]!], atRest: false }
}

/** A touch-down's speed drop: the flight's step is at least this many times the skid's that follows it. */
const TOUCH_DOWN_DROP = 3
/** After a touch-down nothing moves faster than this share of the flight (a bounce, a skid; not a new shot). */
const AFTER_TOUCH_DOWN_SHARE = 0.75

/**
 * The frame where the shuttle, coming down, hits the floor before `rest` (the first frame at rest), within the
 * second before it. A frame qualifies when the shuttle came down into it at a flight's speed (the median step of
 * the frames leading in) and then either
 * - skids: the median step from it to rest is at most 1/TOUCH_DOWN_DROP of the flight's, its own step still a
 *   flight's; or
 * - bounces: it goes back up the picture at once, slower than it came down;
 * and nothing after it, up to rest, moves like a flight again (a net tap or a lift would). The first run of
 * such frames gives its last one (the step into the floor can land a frame early or late). null when no frame
 * qualifies (it flew straight to rest: the caller's frame is the touch-down). Raw steps, not the windowed speed,
 * which smears the drop over `half` frames.
 */
function touchDownFrame(m: Motion, s0: number, rest: number, thr: number): number | null {
  const k = Math.max(3, Math.round(0.12 * m.fps))
  const step = (i: number): number | null =>
    i > 0 && m.visible[i] && m.visible[i - 1]
      ? Math.hypot(m.x[i]! - m.x[i - 1]!, m.y[i]! - m.y[i - 1]!)
      : null
  const medianOf = (from: number, to: number): number | null => {
    const v: number[] = []
    for (let i = from; i <= to; i++) {
      const d = step(i)
      if (d !== null) v.push(d)
    }
    return v.length * 2 > to - from + 1 ? median(v) : null
  }
  const fastestAfter = (t: number): number => {
    let most = 0
    for (let j = t + 1; j <= rest; j++) most = Math.max(most, medianOf(j, Math.min(j + k - 1, rest)) ?? 0)
    return most
  }
  const qualifies = (t: number): boolean => {
    const own = step(t)
    const before = medianOf(t - k + 1, t)
    const after = medianOf(t + 1, Math.min(t + k, rest))
    if (own === null || before === null || after === null || t + 1 > rest) return false
    // Coming down (image y grows) at flight speed, into this very frame.
    if (before <= 3 * thr || m.y[t]! <= m.y[t - 1]! || m.y[t]! <= m.y[t - k + 1]!) return false
    const floor = Math.max(after, 0.5)
    const skids = before >= TOUCH_DOWN_DROP * floor && own >= 2 * floor
    const bounces = m.visible[t + 1]! && m.y[t + 1]! < m.y[t]! && after <= AFTER_TOUCH_DOWN_SHARE * before
    return (skids || bounces) && fastestAfter(t) < AFTER_TOUCH_DOWN_SHARE * before
  }
  for (let t = Math.max(s0 + k, rest - Math.round(m.fps)); t <= rest - 2; t++) {
    if (!qualifies(t)) continue
    while (t + 1 <= rest - 2 && qualifies(t + 1)) t++
    return t
  }
  return null
}
