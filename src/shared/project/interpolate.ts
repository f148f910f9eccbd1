// Runs everywhere (shared): proposes points for the frames between two labelled frames, so the UI can preview
// them and then send them as one edit. Two ways:
// - linear: a straight line at constant speed; exact for a shuttle moving straight at constant speed.
// - ballistic: a shuttle slows down under air drag and falls under gravity, so its path is curved and its
//   speed changes along it. Per axis, a polynomial in time (up to cubic: gravity bends y, quadratic drag makes
//   both axes decelerate) is fitted by least squares to the labelled points on both sides of the gap, then
//   bent to pass exactly through the two endpoints. With only the two endpoints it is linear.
import { SOURCES, type Source } from './frame-state'
import { HIDDEN, VISIBLE, type ClipColumns } from './columns'
import type { FramePatch, LabelEdit } from './schemas'

export interface Anchor {
  frame: number
  x: number
  y: number
}

export type InterpolationMode = 'linear' | 'ballistic'

/** Points for frames a.frame+1 .. b.frame-1 on the straight line from a to b. */
export function interpolateLinear(a: Anchor, b: Anchor): Anchor[] {
  const out: Anchor[] = []
  const span = b.frame - a.frame
  for (let f = a.frame + 1; f < b.frame; f++) {
    const t = (f - a.frame) / span
    out.push({ frame: f, x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t })
  }
  return out
}

/**
 * `before` ends with the gap's first endpoint, `after` starts with its second; both ordered by frame. Returns
 * points for the frames strictly between the endpoints.
 */
export function interpolateBallistic(before: readonly Anchor[], after: readonly Anchor[]): Anchor[] {
  const a = before[before.length - 1]
  const b = after[0]
  if (!a || !b || b.frame <= a.frame) return []
  const anchors = [...before, ...after]
  const degree = Math.min(3, anchors.length - 1)
  if (degree < 2) return interpolateLinear(a, b)
  // Time centred on the gap and scaled to about ±1 keeps the normal equations well conditioned.
  const mid = (a.frame + b.frame) / 2
  const scale = Math.max(1, (b.frame - a.frame) / 2)
  const ts = anchors.map((p) => (p.frame - mid) / scale)
  // The endpoints matter most (they are what the person sees either side of the gap).
  const ws = anchors.map((p) => (p === a || p === b ? 4 : 1))
  const cx = fitPolynomial(
    ts,
    anchors.map((p) => p.x),
    ws,
    degree
  )
  const cy = fitPolynomial(
    ts,
    anchors.map((p) => p.y),
    ws,
    degree
  )
  if (!cx || !cy) return interpolateLinear(a, b)
  const ta = (a.frame - mid) / scale
  const tb = (b.frame - mid) / scale
  // The residuals at the endpoints, blended linearly across the gap, so the curve meets both exactly.
  const rxa = a.x - evaluate(cx, ta)
  const rxb = b.x - evaluate(cx, tb)
  const rya = a.y - evaluate(cy, ta)
  const ryb = b.y - evaluate(cy, tb)
  const out: Anchor[] = []
  for (let f = a.frame + 1; f < b.frame; f++) {
    const t = (f - mid) / scale
    const u = (f - a.frame) / (b.frame - a.frame)
    out.push({
      frame: f,
      x: evaluate(cx, t) + rxa + (rxb - rxa) * u,
      y: evaluate(cy, t) + rya + (ryb - rya) * u
    })
  }
  return out
}

/** Weighted least squares: coefficients c0..cd of c0 + c1 t + … + cd t^d, or null when singular. */
export function fitPolynomial(
  ts: readonly number[],
  vs: readonly number[],
  ws: readonly number[],
  degree: number
): number[] | null {
  const n = degree + 1
  const m: number[][] = Array.from({ length: n }, () => new Array<number>(n + 1).fill(0))
  ts.forEach((t, i) => {
    const w = ws[i] ?? 1
    const v = vs[i] ?? 0
    const powers = Array.from({ length: n }, (_, k) => t ** k)
    for (let r = 0; r < n; r++) {
      const row = m[r]!
      for (let c = 0; c < n; c++) row[c]! += w * powers[r]! * powers[c]!
      row[n]! += w * powers[r]! * v
    }
  })
  return solve(m)
}

/** Gaussian elimination with partial pivoting on an augmented n×(n+1) matrix. */
function solve(m: number[][]): number[] | null {
  const n = m.length
  for (let col = 0; col < n; col++) {
    let pivot = col
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r
    if (Math.abs(m[pivot]![col]!) < 1e-12) return null
    ;[m[col], m[pivot]] = [m[pivot]!, m[col]!]
    const p = m[col]!
    for (let r = 0; r < n; r++) {
      if (r === col) continue
      const row = m[r]!
      const k = row[col]! / p[col]!
      for (let c = col; c <= n; c++) row[c]! -= k * p[c]!
    }
  }
  return m.map((row, i) => row[n]! / row[i]!)
}

function evaluate(coeffs: readonly number[], t: number): number {
  let v = 0
  for (let k = coeffs.length - 1; k >= 0; k--) v = v * t + coeffs[k]!
  return v
}

export interface AnchorOptions {
  /** Labelled points taken on each side, endpoint included (default 4). */
  perSide?: number
  /** How far from an endpoint an anchor may be, in frames (default 15: about one flight at 30 fps). */
  maxReach?: number
}

/**
 * The visible labelled frames around a gap [from, to]: walking outward from each endpoint, stopping at a frame
 * labelled not visible (the shuttle left the picture: another flight) or past maxReach. Frames inside the gap
 * are never anchors: they are what gets replaced.
 */
export function findAnchors(
  c: ClipColumns,
  from: number,
  to: number,
  options: AnchorOptions = {}
): { before: Anchor[]; after: Anchor[] } {
  const perSide = options.perSide ?? 4
  const reach = options.maxReach ?? 15
  const before: Anchor[] = []
  for (let f = from; f >= 0 && f >= from - reach && before.length < perSide; f--) {
    const v = c.visibility[f]
    if (v === VISIBLE) before.unshift({ frame: f, x: c.x[f]!, y: c.y[f]! })
    else if (v === HIDDEN) break
  }
  const after: Anchor[] = []
  for (let f = to; f < c.frameCount && f <= to + reach && after.length < perSide; f++) {
    const v = c.visibility[f]
    if (v === VISIBLE) after.push({ frame: f, x: c.x[f]!, y: c.y[f]! })
    else if (v === HIDDEN) break
  }
  return { before, after }
}

export interface Proposal {
  /** The proposed positions, frames from+1..to-1 (human-labelled frames left out). */
  points: Anchor[]
  /** The edit that applies them (null when there is nothing to fill); send it with labels.edit. */
  edit: LabelEdit | null
  /** Why nothing can be proposed, in words for the user. */
  problem: string | null
}

const HUMAN = SOURCES.indexOf('human' satisfies Source)

/** Interpolation between labelled visible frames `from` and `to`, as a preview and as the edit to send. */
export function proposeInterpolation(
  c: ClipColumns,
  from: number,
  to: number,
  mode: InterpolationMode,
  options: AnchorOptions = {}
): Proposal {
  const none = (problem: string): Proposal => ({ points: [], edit: null, problem })
  if (!(from >= 0 && to < c.frameCount && to > from + 1)) {
    return none(`Pick two frames with at least one frame between them (got ${from} and ${to}).`)
  }
  if (c.visibility[from] !== VISIBLE || c.visibility[to] !== VISIBLE) {
    return none(`Frames ${from} and ${to} must both have a visible point to interpolate between them.`)
  }
  const { before, after } = findAnchors(c, from, to, options)
  const all =
    mode === 'linear' ? interpolateLinear(before.at(-1)!, after[0]!) : interpolateBallistic(before, after)
  // A human label always wins: those frames keep theirs (an empty patch leaves a frame untouched).
  const points = all.filter((p) => c.source[p.frame] !== HUMAN)
  const byFrame = new Map(points.map((p) => [p.frame, p]))
  const patches: FramePatch[] = []
  for (let f = from + 1; f < to; f++) {
    const p = byFrame.get(f)
    patches.push(
      p
        ? {
            visibility: 'visible',
            x: p.x,
            y: p.y,
            source: 'interpolated',
            review: 'unreviewed',
            confidence: null
          }
        : {}
    )
  }
  const what = `Interpolate (${mode}) frames ${from + 1}–${to - 1}`
  return {
    points,
    edit: points.length ? { kind: 'frames', from: from + 1, patches, what } : null,
    problem: null
  }
}
