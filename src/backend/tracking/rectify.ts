// Runs anywhere (pure TypeScript, no Node APIs; it lives beside the tracker that uses it): trajectory
// rectification, a stage after detection that never touches the raw detections it is given.
//   1. outliers: a detection that jumps away from BOTH its visible neighbours faster than a shuttle can fly,
//      while those neighbours agree with each other, is removed (a player's shoe, a line judge's shirt);
//   2. gaps, when maxGap > 0: a run of at most maxGap undetected frames between two detections is filled from a
//      ballistic fit — a quadratic in time per axis, least squares over a few detections on each side (a
//      shuttle in flight follows a smooth curve over a handful of frames); with too few points, a straight
//      line. Worth it only where the model misses a flying shuttle often (defaultMaxGap);
//   3. optional smoothing: each visible run is smoothed with a 5-frame quadratic (Savitzky–Golay) filter.
// Every output frame says where it came from, so a reviewer sees what the rectifier changed.

export interface TrackPoint {
  frame: number
  visible: boolean
  x: number
  y: number
  confidence: number
}

export type PointSource = 'detected' | 'removed' | 'filled' | 'smoothed' | 'none'

export interface RectifiedPoint extends TrackPoint {
  source: PointSource
}

export interface RectifyOptions {
  /** Fastest plausible movement, video pixels per frame. Default: 8 % of the video's width. */
  maxSpeed?: number
  /** Longest gap filled, in frames. Default: defaultMaxGap(windowStride). */
  maxGap?: number
  /** Frames between the model's windows in the run that made the track (default 1: overlapping windows). */
  windowStride?: number
  /** Outliers are judged only between neighbours at most this many frames apart. Default 12. */
  outlierSpan?: number
  /** Detections used on each side of a gap for the fit. Default 4. */
  fitPoints?: number
  smooth?: boolean
  video: { width: number; height: number }
}

const speed = (a: TrackPoint, b: TrackPoint): number =>
  Math.hypot(b.x - a.x, b.y - a.y) / Math.abs(b.frame - a.frame)

/** Least-squares polynomial (degree 1 or 2) value at t. */
function fitAt(ts: number[], vs: number[], degree: number, t: number): number {
  // Normal equations on t centred at the first sample, small enough to solve directly.
  const t0 = ts[0] as number
  const n = degree + 1
  const a: number[][] = Array.from({ length: n }, () => new Array<number>(n + 1).fill(0))
  ts.forEach((ti, i) => {
    const u = ti - t0
    const pw = [1, u, u * u]
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) (a[r] as number[])[c]! += (pw[r] as number) * (pw[c] as number)
      ;(a[r] as number[])[n]! += (pw[r] as number) * (vs[i] as number)
    }
  })
  for (let c = 0; c < n; c++) {
    let p = c
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r
    ;[a[c], a[p]] = [a[p]!, a[c]!]
    if (Math.abs(a[c]![c]!) < 1e-12) return NaN
    for (let r = 0; r < n; r++) {
      if (r === c) continue
      const f = a[r]![c]! / a[c]![c]!
      for (let k = c; k <= n; k++) a[r]![k]! -= f * a[c]![k]!
    }
  }
  const coef = a.map((row, i) => row[n]! / row[i]!)
  const u = t - t0
  return coef[0]! + (coef[1] ?? 0) * u + (coef[2] ?? 0) * u * u
}

/**
 * The gap filled by default for windows `stride` frames apart. Overlapping windows (stride 1) miss little, so
 * the gaps left are mostly frames labelled invisible (the shuttle behind a player or the net): filling them
 * cost F1 (29 training clips 96.46 → 95.87, val 92.73 → 92.56) and puts wrong labels in a track kept as labels.
 * Windows side by side (fast mode) miss more, and filling 5 frames repays it (training clips 94.80 → 95.34,
 * val 90.38 → 90.77). training/RESULTS.md, session 22.
 */
function defaultMaxGap(stride: number): number {
  return stride > 1 ? 5 : 0
}

/** The span outliers were judged over when it followed the fill length (2 × 5 + 2 frames). */
const OUTLIER_SPAN = 12

export function rectifyTrack(raw: readonly TrackPoint[], o: RectifyOptions): RectifiedPoint[] {
  const maxSpeed = o.maxSpeed ?? 0.08 * o.video.width
  const maxGap = o.maxGap ?? defaultMaxGap(o.windowStride ?? 1)
  const outlierSpan = o.outlierSpan ?? OUTLIER_SPAN
  const fitPoints = o.fitPoints ?? 4
  const out: RectifiedPoint[] = raw.map((p) => ({ ...p, source: p.visible ? 'detected' : 'none' }))

  // 1. Outliers, judged against the raw neighbours (not against already-removed points).
  const vis = out.filter((p) => p.visible)
  for (let i = 1; i + 1 < vis.length; i++) {
    const prev = vis[i - 1] as RectifiedPoint
    const cur = vis[i] as RectifiedPoint
    const next = vis[i + 1] as RectifiedPoint
    if (next.frame - prev.frame > outlierSpan) continue // too far apart to judge
    if (speed(prev, cur) > maxSpeed && speed(cur, next) > maxSpeed && speed(prev, next) <= maxSpeed) {
      cur.visible = false
      cur.source = 'removed'
    }
  }

  // 2. Gaps between two kept detections.
  const kept = out.filter((p) => p.visible)
  for (let i = 0; i + 1 < kept.length; i++) {
    const a = kept[i] as RectifiedPoint
    const b = kept[i + 1] as RectifiedPoint
    const gap = b.frame - a.frame - 1
    if (gap < 1 || gap > maxGap || speed(a, b) > maxSpeed) continue
    const side = (from: number, step: number): RectifiedPoint[] => {
      const pts: RectifiedPoint[] = []
      for (let j = from; j >= 0 && j < kept.length && pts.length < fitPoints; j += step) {
        const p = kept[j] as RectifiedPoint
        if (Math.abs(p.frame - (step < 0 ? a.frame : b.frame)) > 2 * fitPoints) break
        // Only the same flight: a jump faster than a shuttle (a new shot, a wrong blob) ends the run.
        const prev = pts[pts.length - 1]
        if (prev && speed(prev, p) > maxSpeed) break
        pts.push(p)
      }
      return pts
    }
    const pts = [...side(i, -1).reverse(), ...side(i + 1, 1)]
    const ts = pts.map((p) => p.frame)
    const degree = pts.length >= 4 ? 2 : 1
    for (let f = a.frame + 1; f < b.frame; f++) {
      let x = fitAt(
        ts,
        pts.map((p) => p.x),
        degree,
        f
      )
      let y = fitAt(
        ts,
        pts.map((p) => p.y),
        degree,
        f
      )
      const tLin = (f - a.frame) / (b.frame - a.frame)
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        x = a.x + (b.x - a.x) * tLin
        y = a.y + (b.y - a.y) * tLin
      }
      const p = out[f] as RectifiedPoint
      if (p.frame !== f) continue
      if (x < -0.5 || y < -0.5 || x > o.video.width - 0.5 || y > o.video.height - 0.5) continue
      p.visible = true
      p.x = x
      p.y = y
      p.source = 'filled'
    }
  }

  // 3. Optional smoothing over runs of at least 5 visible frames.
  if (o.smooth) {
    const sg = [-3, 12, 17, 12, -3]
    const xs = out.map((p) => p.x)
    const ys = out.map((p) => p.y)
    for (let f = 2; f + 2 < out.length; f++) {
      if (![-2, -1, 0, 1, 2].every((d) => out[f + d]!.visible)) continue
      let sx = 0
      let sy = 0
      for (let d = -2; d <= 2; d++) {
        sx += sg[d + 2]! * xs[f + d]!
        sy += sg[d + 2]! * ys[f + d]!
      }
      const p = out[f] as RectifiedPoint
      const nx = sx / 35
      const ny = sy / 35
      if (Math.hypot(nx - p.x, ny - p.y) > 1e-3) {
        p.x = nx
        p.y = ny
        if (p.source === 'detected') p.source = 'smoothed'
      }
    }
  }
  return out
}
