// Runs in the renderer: where a click snaps to — the shuttle nearest the click within a small radius. First
// the model's point for the frame (the centroid of its heatmap's blob) where there is one close enough; else
// the nearest clear peak of the motion view (the frame's difference from the median background, where a
// moving shuttle is a bright blob on a quiet court), refined to sub-pixel as the blob's weighted centroid.
// Pure arithmetic over small windows: it runs once per click, never per frame.

export interface Point {
  x: number
  y: number
}

/** How far a click may be from what it snaps to, video pixels. */
export const SNAP_RADIUS = 10

/** A scalar map over a window of the video: value(i, j) is at video pixel (x0 + i, y0 + j). */
export interface ScalarWindow {
  values: ArrayLike<number>
  width: number
  height: number
  x0: number
  y0: number
}

export interface PeakOptions {
  /** Values below this are never a peak (the motion view's noise); default 24 (of 765). */
  floor?: number
  /** A peak must reach this share of the largest value near the click; default 0.5. */
  relative?: number
}

export interface Peak extends Point {
  value: number
}

export interface SnapResult extends Point {
  source: 'prediction' | 'motion'
}

/** The window of video pixels a motion search around `at` needs: the disc plus room for the blob's centroid. */
export function searchWindow(
  at: Point,
  radius: number,
  video: { width: number; height: number }
): { x0: number; y0: number; width: number; height: number } | null {
  const margin = Math.ceil(radius) + 6
  const x0 = Math.max(0, Math.floor(at.x) - margin)
  const y0 = Math.max(0, Math.floor(at.y) - margin)
  const x1 = Math.min(video.width - 1, Math.ceil(at.x) + margin)
  const y1 = Math.min(video.height - 1, Math.ceil(at.y) + margin)
  return x1 < x0 || y1 < y0 ? null : { x0, y0, width: x1 - x0 + 1, height: y1 - y0 + 1 }
}

/**
 * The motion view's values over a window: |frame − background| summed over R, G and B (0..765), unclipped.
 * `frame` is the window's own RGBA (as read from the frame canvas); `background` the whole frame's RGBA.
 */
export function motionWindow(
  frame: Uint8ClampedArray,
  background: Uint8ClampedArray,
  videoWidth: number,
  win: { x0: number; y0: number; width: number; height: number }
): ScalarWindow {
  const values = new Float32Array(win.width * win.height)
  for (let j = 0; j < win.height; j++) {
    for (let i = 0; i < win.width; i++) {
      const f = (j * win.width + i) * 4
      const b = ((win.y0 + j) * videoWidth + win.x0 + i) * 4
      values[j * win.width + i] =
        Math.abs(frame[f]! - background[b]!) +
        Math.abs(frame[f + 1]! - background[b + 1]!) +
        Math.abs(frame[f + 2]! - background[b + 2]!)
    }
  }
  return { values, ...win }
}

/** The point nearest `at` no farther than `radius`; null when none is. */
export function nearestWithin(points: readonly Point[], at: Point, radius: number): Point | null {
  let best: Point | null = null
  let bestD = radius
  for (const p of points) {
    const d = Math.hypot(p.x - at.x, p.y - at.y)
    if (d <= bestD) {
      best = p
      bestD = d
    }
  }
  return best
}

/**
 * The nearest clear local maximum within `radius` of `at`: a pixel no smaller than its 8 neighbours (and
 * larger than those before it in raster order, so a flat top counts once), at least `floor` and at least
 * `relative` × the largest value in the disc. Its position is the weighted centroid of its blob — the pixels
 * 8-connected to it above BLOB_CUT of its value, weighted by how far above — so a blurred streak snaps to its
 * middle and a round blob to its centre (a low cut keeps the sampled edge from biasing it).
 */
export function nearestPeak(w: ScalarWindow, at: Point, radius: number, opts: PeakOptions = {}): Peak | null {
  const floor = opts.floor ?? 24
  const relative = opts.relative ?? 0.5
  const { values: v, width, height, x0, y0 } = w
  const inDisc = (i: number, j: number): boolean => Math.hypot(x0 + i - at.x, y0 + j - at.y) <= radius
  let max = 0
  for (let j = 0; j < height; j++)
    for (let i = 0; i < width; i++) if (inDisc(i, j) && v[j * width + i]! > max) max = v[j * width + i]!
  const threshold = Math.max(floor, relative * max)
  if (max < threshold) return null

  let best = -1
  let bestD = Infinity
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const k = j * width + i
      const here = v[k]!
      if (here < threshold || !inDisc(i, j)) continue
      let peak = true
      for (let dj = -1; dj <= 1 && peak; dj++) {
        for (let di = -1; di <= 1; di++) {
          if (di === 0 && dj === 0) continue
          const ii = i + di
          const jj = j + dj
          if (ii < 0 || jj < 0 || ii >= width || jj >= height) continue
          const there = v[jj * width + ii]!
          const before = dj < 0 || (dj === 0 && di < 0)
          if (there > here || (before && there === here)) {
            peak = false
            break
          }
        }
      }
      if (!peak) continue
      const d = Math.hypot(x0 + i - at.x, y0 + j - at.y)
      if (d < bestD) {
        bestD = d
        best = k
      }
    }
  }
  if (best < 0) return null
  return { ...blobCentroid(w, best), value: v[best]! }
}

/** Share of a peak's value that bounds its blob. */
const BLOB_CUT = 0.3

/** Weighted centroid of the pixels 8-connected to `seed` whose value is above BLOB_CUT of the seed's. */
function blobCentroid(w: ScalarWindow, seed: number): Point {
  const { values: v, width, height, x0, y0 } = w
  const cut = v[seed]! * BLOB_CUT
  const seen = new Uint8Array(width * height)
  const stack = [seed]
  seen[seed] = 1
  let sum = 0
  let sx = 0
  let sy = 0
  while (stack.length) {
    const k = stack.pop()!
    const i = k % width
    const j = (k - i) / width
    const wt = v[k]! - cut
    sum += wt
    sx += wt * i
    sy += wt * j
    for (let dj = -1; dj <= 1; dj++) {
      for (let di = -1; di <= 1; di++) {
        const ii = i + di
        const jj = j + dj
        if (ii < 0 || jj < 0 || ii >= width || jj >= height) continue
        const n = jj * width + ii
        if (!seen[n] && v[n]! > cut) {
          seen[n] = 1
          stack.push(n)
        }
      }
    }
  }
  const si = seed % width
  const sj = (seed - si) / width
  return sum > 0 ? { x: x0 + sx / sum, y: y0 + sy / sum } : { x: x0 + si, y: y0 + sj }
}

/**
 * Where a click at `at` snaps: the model's point nearest it within the radius, else the nearest motion peak
 * within it, else nowhere (null: place where clicked).
 */
export function snapClick(input: {
  at: Point
  radius: number
  predictions: readonly Point[]
  motion: ScalarWindow | null
  peak?: PeakOptions
}): SnapResult | null {
  const p = nearestWithin(input.predictions, input.at, input.radius)
  if (p) return { x: p.x, y: p.y, source: 'prediction' }
  const m = input.motion ? nearestPeak(input.motion, input.at, input.radius, input.peak) : null
  return m ? { x: m.x, y: m.y, source: 'motion' } : null
}
