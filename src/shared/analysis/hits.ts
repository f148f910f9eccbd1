// Runs everywhere (shared): hit detection inside a rally. A hit is a kink of the image path: the position is
// continuous but the velocity jumps (reverses, turns, or speeds up several-fold). For every frame the velocity
// just before and just after it come from one-sided quadratic fits on the de-spiked track; their relative
// difference peaks at hits and stays small along a flight, drag and gravity included (and must stand clear of
// what the estimated label noise alone would produce). Each peak is placed at the split of the path that two
// separate fits explain best and timed to a fraction of a frame where those paths meet; the strongest, at least
// a minimum gap apart, are hits. One rule covers what no fit can see: a shuttle falling near the top edge that
// then leaves the view was hit back up over it.
import type { Point2 } from './court'
import { fitPath, fitPoly, type PathFit } from './local-fit'
import type { Motion } from './motion'
import { frames, type AnalysisOptions } from './options'
import type { RallySpan } from './rallies'

export interface RawHit {
  /** Fractional frame of the contact. */
  frame: number
  image: Point2
  kind: 'serve' | 'first-seen' | 'stroke'
  /** Relative velocity change at the kink (0 … 2); 2 for the rally's first hit. */
  score: number
  /** Added by hand (hit-edits.ts), not detected. */
  edited?: boolean
}

interface SideFit {
  fit: PathFit
  n: number
  /** Sum of squared residuals (px²). */
  rss: number
}

/**
 * A path through the present frames of [from, to] ∩ [lo, hi]: quadratic from four frames, a line below that (a
 * quadratic through three frames fits anything, which would hide a break), null below two frames.
 */
function sideFit(m: Motion, from: number, to: number, lo: number, hi: number): SideFit | null {
  const fs: number[] = []
  const a = Math.max(lo, Math.min(from, to))
  const b = Math.min(hi, Math.max(from, to))
  for (let i = a; i <= b; i++) if (m.present[i]) fs.push(i)
  if (fs.length < 2) return null
  const xs = fs.map((i) => m.x[i]!)
  const ys = fs.map((i) => m.y[i]!)
  const fit = fitPath(fs, xs, ys, fs.length >= 4 ? 2 : 1)
  if (!fit) return null
  let rss = 0
  fs.forEach((f, i) => (rss += (fit.x.at(f) - xs[i]!) ** 2 + (fit.y.at(f) - ys[i]!) ** 2))
  return { fit, n: fs.length, rss }
}

interface Kink {
  score: number
  /** Residual of the two one-sided fits; least where the break really is. */
  rss: number
}

/** Relative velocity jump at frame k, from fits on [k−w, k] and [k, k+w] inside [lo, hi]. */
export function kink(m: Motion, k: number, w: number, lo: number, hi: number, vmin: number): Kink {
  const b = sideFit(m, k - w, k, lo, hi)
  const a = sideFit(m, k, k + w, lo, hi)
  // Both sides must be measured, one of them with at least three frames.
  if (!a || !b || a.n + b.n < 5) return { score: 0, rss: Infinity }
  const vb: Point2 = [b.fit.x.slope(k), b.fit.y.slope(k)]
  const va: Point2 = [a.fit.x.slope(k), a.fit.y.slope(k)]
  const jump = Math.hypot(va[0] - vb[0], va[1] - vb[1])
  return {
    score: jump / Math.max(Math.hypot(...va), Math.hypot(...vb), vmin),
    rss: (a.rss + b.rss) / (a.n + b.n)
  }
}

interface Break {
  /** Fractional frame where the paths before and after meet (closest approach). */
  frame: number
  image: Point2
  score: number
  rss: number
}

/**
 * The frames [L, R] split between j and j+1: one fit on [L, j], another on [j+1, R] (no shared frame, so neither
 * side is bent by a point of the other). Over the same [L, R] the split with the least residual is the break; the
 * contact is where the two paths meet, within half a frame beyond either end of the gap.
 */
/**
 * A hit at the edge of the view: the shuttle is seen for one frame only on one side (it leaves the frame over the
 * top right after a far player's clear). Its offset from the other side's extrapolated path is the evidence.
 */
function lonePoint(m: Motion, k: number, other: SideFit, t: number, vmin: number): Break {
  const d = Math.hypot(m.x[k]! - other.fit.x.at(k), m.y[k]! - other.fit.y.at(k))
  const v = Math.hypot(other.fit.x.slope(t), other.fit.y.slope(t))
  return {
    frame: t,
    image: [other.fit.x.at(t), other.fit.y.at(t)],
    // Offset over a frame and a half of travel (the contact is half a frame away from the point).
    score: d / Math.max(v * 1.5, vmin),
    rss: other.rss
  }
}

function splitAt(m: Motion, j: number, L: number, R: number, vmin: number): Break | null {
  const b = sideFit(m, L, j, L, R)
  const a = sideFit(m, j + 1, R, L, R)
  if (!b && a && a.n >= 3 && m.present[j] && !m.present[j - 1]) return lonePoint(m, j, a, j + 0.5, vmin)
  if (!a && b && b.n >= 3 && m.present[j + 1] && !m.present[j + 2])
    return lonePoint(m, j + 1, b, j + 0.5, vmin)
  if (!a || !b || a.n + b.n < 5) return null
  let best = Infinity
  let t = j + 0.5
  for (let tt = j - 0.5; tt <= j + 1.5 + 1e-9; tt += 0.05) {
    const d = Math.hypot(a.fit.x.at(tt) - b.fit.x.at(tt), a.fit.y.at(tt) - b.fit.y.at(tt))
    if (d < best) {
      best = d
      t = tt
    }
  }
  const vb: Point2 = [b.fit.x.slope(t), b.fit.y.slope(t)]
  const va: Point2 = [a.fit.x.slope(t), a.fit.y.slope(t)]
  const jump = Math.hypot(va[0] - vb[0], va[1] - vb[1])
  return {
    frame: t,
    image: [(a.fit.x.at(t) + b.fit.x.at(t)) / 2, (a.fit.y.at(t) + b.fit.y.at(t)) / 2],
    score: jump / Math.max(Math.hypot(...va), Math.hypot(...vb), vmin),
    // The miss distance counts too: two fits that never meet are no hit.
    rss: a.rss + b.rss + best * best
  }
}

/**
 * Label noise (px, per axis) from second differences of the measured frames: robust (median) so that the few
 * frames with real acceleration — hits, touch-downs — do not count. Noise-free labels give a fraction of a pixel.
 */
export function estimateNoise(m: Motion): number {
  const d: number[] = []
  for (let i = 1; i < m.x.length - 1; i++) {
    if (!m.visible[i - 1] || !m.visible[i] || !m.visible[i + 1]) continue
    d.push(
      Math.abs(m.x[i - 1]! - 2 * m.x[i]! + m.x[i + 1]!),
      Math.abs(m.y[i - 1]! - 2 * m.y[i]! + m.y[i + 1]!)
    )
  }
  if (d.length < 10) return 0
  d.sort((a, b) => a - b)
  return d[d.length >> 1]! / (0.6745 * Math.sqrt(6))
}

/** Standard deviation of a one-sided quadratic's end slope per unit of label noise, for n equally spaced frames. */
function slopeNoiseGain(n: number): number {
  const ts = Array.from({ length: n }, (_, i) => i)
  let s2 = 0
  for (let j = 0; j < n; j++) {
    const unit = ts.map((_, i) => (i === j ? 1 : 0))
    const f = fitPoly(ts, unit, n >= 3 ? 2 : 1)
    s2 += f ? f.slope(0) ** 2 : 0
  }
  return Math.sqrt(s2)
}

export function findHits(
  m: Motion,
  span: RallySpan,
  o: AnalysisOptions,
  imageHeight: number,
  noise = 0
): RawHit[] {
  const fps = m.fps
  const w = frames(o.kinkWindowSeconds, fps, 3)
  const gap = frames(o.minHitGapSeconds, fps, 2)
  // A jump must also stand clear of what label noise alone would make of the two slopes (z ≥ 4).
  const noiseJump = 4 * noise * slopeNoiseGain(w + 1) * Math.SQRT2 * Math.SQRT2
  const vmin = Math.max((o.stillHeightsPerSecond * imageHeight) / fps, noiseJump / o.kinkThreshold)
  // Hits lie between the first stroke and where the shuttle comes to rest; fits stay inside that range.
  const lo = Math.max(span.start, Math.ceil(span.onset.frame))
  // The touch-down itself is a kink too: a hit needs flight on both sides, so candidates stop two frames short.
  const hi = span.landing.atRest ? span.landing.frame : span.end
  const lastHit = span.landing.atRest ? span.landing.frame - 2 : span.end
  const kinks: Kink[] = []
  for (let k = lo; k <= hi; k++)
    kinks.push(m.present[k] ? kink(m, k, w, lo, hi, vmin) : { score: 0, rss: Infinity })
  const at = (k: number): Kink => kinks[k - lo] ?? { score: 0, rss: Infinity }
  // A window that reaches over a hit bends its fit and fakes a kink a few frames away; so each frame with a
  // high kink score only marks a region, and the hit is placed at the split within ±w that fits best.
  const candidates = new Map<number, Break>()
  for (let k = lo; k <= hi; k++) {
    if (at(k).score < o.kinkThreshold) continue
    let best: Break | null = null
    const L = Math.max(lo, k - w - 1)
    const R = Math.min(hi, k + w + 1)
    for (let j = L + 1; j < R - 1; j++) {
      const br = splitAt(m, j, L, R, vmin)
      if (br && (!best || br.rss < best.rss)) best = br
    }
    if (best && best.score >= o.kinkThreshold && best.frame <= lastHit)
      candidates.set(Math.round(best.frame * 20), best)
  }
  // A shuttle seen falling near the top edge that then leaves the view can only have left over the top: it was
  // hit back up in between, even when the frame after the contact is the last one seen (a far player's clear).
  const top = o.edgeMargin * imageHeight
  for (let k = lo + 2; k <= Math.min(hi, lastHit); k++) {
    if (
      !m.present[k] ||
      k + 1 >= m.present.length ||
      m.present[k + 1] ||
      m.y[k]! > top ||
      [...candidates.values()].some((c) => Math.abs(c.frame - k) < gap)
    )
      continue
    const b = sideFit(m, k - w, k - 1, lo, hi)
    if (b && b.n >= 2 && b.fit.y.slope(k) > vmin)
      candidates.set(Math.round((k - 0.5) * 20), {
        frame: k - 0.5,
        image: [m.x[k]!, m.y[k]!],
        score: 1,
        rss: 0
      })
  }
  const hits: RawHit[] = [
    { frame: span.onset.frame, image: span.onset.image, kind: span.onset.kind, score: 2 }
  ]
  // Strongest first; each hit claims ±gap frames (the rally's first hit included).
  const order = [...candidates.values()].sort((p, q) => q.score - p.score)
  const taken: number[] = [span.onset.frame]
  for (const br of order) {
    if (taken.some((t) => Math.abs(t - br.frame) < gap)) continue
    taken.push(br.frame)
    hits.push({ frame: br.frame, image: br.image, kind: 'stroke', score: br.score })
  }
  return hits.sort((a, b) => a.frame - b.frame)
}
