// Runs everywhere (shared): turns one model heatmap into at most one shuttle position, the algorithm of
// training/shuttle_training/postprocess.py `detect` / `detect_video`:
//   1. probabilities: the values themselves, or their sigmoid when the model outputs logits;
//   2. pixels with probability >= threshold (default 0.5; equal counts as above) form blobs, 8-connected;
//   3. the blob with the largest summed probability wins; ties go to the blob whose first pixel comes first
//      in raster order (row by row, left to right);
//   4. its position is the probability-weighted centroid (sub-pixel, heatmap pixel centres at integers) and
//      its confidence its peak probability;
//   5. the position is mapped through the letterbox (letterbox.ts) to video pixels.
// candidates() keeps the strongest few blobs instead of one (postprocess.py `candidates`), strongest first with
// the same tie rule, so a later stage can choose among them by trajectory (trajectory.ts).
// One option beyond the Python (off by default, so the default output matches it): with `track` and a previous
// position, a blob whose centroid lies within track.maxDistance video pixels of it is preferred, the nearest
// such blob winning — the "drop candidates far from the last position" idea of WASB's online tracker.
//
// It runs once per frame over whole matches, so a decoder owns its buffers and reuses them: a call allocates
// only the small result object.
import type { VideoSize } from '../labels/types'
import { letterbox, toVideo, type Letterbox, type ModelSize } from './letterbox'

export interface Detection {
  visible: boolean
  /** Video pixels (heatmap pixels for decodeInHeatmap); 0, 0 when not visible. */
  x: number
  y: number
  /**
   * Visible: the chosen blob's peak probability. Not visible: the heatmap's peak probability, below the
   * threshold by definition — kept because "almost detected" is what a reviewer wants to look at first.
   */
  confidence: number
}

/** One blob of a heatmap: a place the model thinks the shuttle may be. */
export interface Candidate {
  /** Probability-weighted centroid, video pixels. */
  x: number
  y: number
  /** Summed probability of the blob's pixels (what ranks blobs). */
  mass: number
  /** Peak probability. */
  confidence: number
}

export interface HeatmapDecoderOptions {
  /** Size of one heatmap: the model's input size (the letterbox is computed for it). */
  heatmap: ModelSize
  video: VideoSize
  /** What the model's output holds (ONNX metadata shuttle.output). */
  output: 'logits' | 'sigmoid'
  /** Probability threshold in (0, 1), default 0.5 (ONNX metadata shuttle.threshold). */
  threshold?: number
  /** Prefer the blob nearest a previous position (video pixels) within maxDistance video pixels. Default off. */
  track?: { maxDistance: number }
}

export interface Point {
  x: number
  y: number
}

export class HeatmapDecoder {
  readonly letterbox: Letterbox
  private readonly width: number
  private readonly height: number
  private readonly logits: boolean
  /** The probability threshold (for display; the comparison uses rawThreshold). */
  readonly threshold: number
  /** The threshold in the units of the input: a logit when the model outputs logits (sigmoid is monotonic). */
  private readonly rawThreshold: number
  private readonly maxDistance: number | null
  /** seen[i] === stamp marks pixel i visited in this call: no clearing between frames. */
  private readonly seen: Int32Array
  private stamp = 0
  private readonly stack: Int32Array
  private sum = new Float64Array(16)
  private sumX = new Float64Array(16)
  private sumY = new Float64Array(16)
  private peak = new Float64Array(16)

  constructor(options: HeatmapDecoderOptions) {
    const { width, height } = options.heatmap
    if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
      throw new RangeError(`Bad heatmap size ${width}×${height}.`)
    }
    const threshold = options.threshold ?? 0.5
    if (!(threshold > 0 && threshold < 1))
      throw new RangeError(`Threshold ${threshold} is not inside (0, 1).`)
    this.width = width
    this.height = height
    this.letterbox = letterbox(options.video, options.heatmap)
    this.logits = options.output === 'logits'
    this.threshold = threshold
    this.rawThreshold = this.logits ? Math.log(threshold / (1 - threshold)) : threshold
    this.maxDistance = options.track ? options.track.maxDistance : null
    this.seen = new Int32Array(width * height)
    this.stack = new Int32Array(width * height)
  }

  /** Decodes the heatmap at data[offset .. offset + W·H) (row-major) into video pixels. */
  decode(data: Float32Array, offset = 0, previous: Point | null = null): Detection {
    const d = this.decodeInHeatmap(data, offset, previous)
    if (!d.visible) return d
    const v = toVideo(this.letterbox, d.x, d.y)
    return { visible: true, x: v.x, y: v.y, confidence: d.confidence }
  }

  /** The same, in heatmap pixels (Python's `detect`). `previous` is still in video pixels. */
  decodeInHeatmap(data: Float32Array, offset = 0, previous: Point | null = null): Detection {
    const { blobs, maxRaw } = this.findBlobs(data, offset)
    if (blobs === 0) {
      return { visible: false, x: 0, y: 0, confidence: maxRaw === -Infinity ? 0 : this.probability(maxRaw) }
    }
    const b = this.choose(blobs, previous)
    const s = this.sum[b] as number
    return {
      visible: true,
      x: (this.sumX[b] as number) / s,
      y: (this.sumY[b] as number) / s,
      confidence: this.peak[b] as number
    }
  }

  /**
   * The `max` strongest blobs in video pixels, by summed probability, strongest first; equal masses keep
   * raster order, so the first is always the blob decode() picks. Empty when nothing reaches the threshold.
   */
  candidates(data: Float32Array, offset = 0, max = 4): Candidate[] {
    const { blobs } = this.findBlobs(data, offset)
    const order = Array.from({ length: blobs }, (_, i) => i)
    order.sort((a, b) => (this.sum[b] as number) - (this.sum[a] as number) || a - b)
    return order.slice(0, max).map((b) => {
      const s = this.sum[b] as number
      const v = toVideo(this.letterbox, (this.sumX[b] as number) / s, (this.sumY[b] as number) / s)
      return { x: v.x, y: v.y, mass: s, confidence: this.peak[b] as number }
    })
  }

  /** Labels the blobs of one heatmap into sum/sumX/sumY/peak[0 .. blobs); maxRaw is the heatmap's peak. */
  private findBlobs(data: Float32Array, offset: number): { blobs: number; maxRaw: number } {
    const w = this.width
    const h = this.height
    const n = w * h
    if (offset < 0 || offset + n > data.length) {
      throw new RangeError(`Heatmap of ${w}×${h} at offset ${offset} does not fit in ${data.length} values.`)
    }
    const stamp = this.nextStamp()
    const seen = this.seen
    const stack = this.stack
    const thr = this.rawThreshold
    let blobs = 0
    let maxRaw = -Infinity
    for (let start = 0; start < n; start++) {
      const raw = data[offset + start] as number
      if (raw > maxRaw) maxRaw = raw
      if (!(raw >= thr) || seen[start] === stamp) continue
      this.ensureBlobs(blobs + 1)
      let sum = 0
      let sx = 0
      let sy = 0
      let peak = 0
      let top = 0
      stack[top++] = start
      seen[start] = stamp
      // Depth-first with an explicit stack, neighbours in the Python's order (dy, then dx, from -1 to 1).
      while (top > 0) {
        const i = stack[--top] as number
        const y = (i / w) | 0
        const x = i - y * w
        const p = this.probability(data[offset + i] as number)
        sum += p
        sx += p * x
        sy += p * y
        if (p > peak) peak = p
        for (let dy = -1; dy <= 1; dy++) {
          const yy = y + dy
          if (yy < 0 || yy >= h) continue
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx
            if (xx < 0 || xx >= w) continue
            const j = yy * w + xx
            if (seen[j] !== stamp && (data[offset + j] as number) >= thr) {
              seen[j] = stamp
              stack[top++] = j
            }
          }
        }
      }
      this.sum[blobs] = sum
      this.sumX[blobs] = sx
      this.sumY[blobs] = sy
      this.peak[blobs] = peak
      blobs++
    }
    return { blobs, maxRaw }
  }

  private choose(blobs: number, previous: Point | null): number {
    if (this.maxDistance !== null && previous) {
      // Compared in video pixels, where the previous position and the distance live.
      let best = -1
      let bestD = Infinity
      for (let b = 0; b < blobs; b++) {
        const s = this.sum[b] as number
        const v = toVideo(this.letterbox, (this.sumX[b] as number) / s, (this.sumY[b] as number) / s)
        const d = Math.hypot(v.x - previous.x, v.y - previous.y)
        if (d <= this.maxDistance && d < bestD) {
          best = b
          bestD = d
        }
      }
      if (best >= 0) return best
    }
    let best = 0
    for (let b = 1; b < blobs; b++) if ((this.sum[b] as number) > (this.sum[best] as number)) best = b
    return best
  }

  /** Probabilities are float32 in the Python (torch.sigmoid on float32), so the sigmoid is rounded to float32. */
  private probability(raw: number): number {
    return this.logits ? Math.fround(1 / (1 + Math.exp(-raw))) : raw
  }

  private nextStamp(): number {
    if (this.stamp === 0x7fffffff) {
      this.seen.fill(0)
      this.stamp = 0
    }
    return ++this.stamp
  }

  private ensureBlobs(count: number): void {
    if (count <= this.sum.length) return
    const grow = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(a.length * 2)
      b.set(a)
      return b
    }
    this.sum = grow(this.sum)
    this.sumX = grow(this.sumX)
    this.sumY = grow(this.sumY)
    this.peak = grow(this.peak)
  }
}
