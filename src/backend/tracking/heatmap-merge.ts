// Runs in the backend (plain Node): gathers the model's output heatmaps per frame and decodes each frame once
// no later window can add to it. A frame seen by one window is decoded from its raw output (the decoder
// applies the sigmoid only where needed, which is fast); a frame seen by several gets the mean of their
// float32 probabilities, as training/shuttle_training/predict.py averages overlapping windows. Each frame keeps
// its strongest few blobs (candidates, strongest first) beside the strongest one, for the choice by trajectory
// that follows once every frame is known (track-video.ts, shared/heatmap/trajectory.ts).
import {
  chooseTrajectory,
  HeatmapDecoder,
  type Candidate,
  type TrajectoryOptions
} from '../../shared/heatmap'
import type { VideoSize } from '../../shared/labels/types'
import type { ModelSpec } from './model-spec'

export interface RawDetection {
  frame: number
  visible: boolean
  x: number
  y: number
  confidence: number
  /** The frame's strongest blobs, strongest first (the first is x, y when visible); empty when none. */
  candidates: Candidate[]
}

/** Blobs kept per frame for the trajectory choice. */
export const CANDIDATES_PER_FRAME = 4

interface Pending {
  maps: Float32Array[]
}

export class HeatmapMerge {
  private readonly pending = new Map<number, Pending>()
  private readonly direct: HeatmapDecoder
  private readonly averaged: HeatmapDecoder
  private readonly plane: number
  private readonly logits: boolean
  /** Logits under this in every window leave the mean at 0 (see mean()). */
  private readonly negligible: number
  /** Every frame below this has been decoded and handed out. */
  next: number

  constructor(spec: ModelSpec, video: VideoSize, firstFrame: number) {
    const heatmap = { width: spec.width, height: spec.height }
    this.direct = new HeatmapDecoder({ heatmap, video, output: spec.output, threshold: spec.threshold })
    this.averaged = new HeatmapDecoder({ heatmap, video, output: 'sigmoid', threshold: spec.threshold })
    this.plane = spec.width * spec.height
    this.logits = spec.output === 'logits'
    // A threshold down among the left-out probabilities (no real model's) turns the shortcut off.
    this.negligible = spec.threshold > 0.001 ? NEGLIGIBLE_LOGIT : -Infinity
    this.next = firstFrame
  }

  /** Output heatmap k of one window (a view into the batch result) belongs to frame `frame`. */
  add(frame: number, map: Float32Array): void {
    if (frame < this.next) return // already final (a resumed run re-reading an overlap)
    const p = this.pending.get(frame)
    if (p) p.maps.push(map)
    else this.pending.set(frame, { maps: [map] })
  }

  /** Decodes every frame before `end` in order; frames no window covered are not visible. */
  finish(end: number): RawDetection[] {
    const out: RawDetection[] = []
    for (; this.next < end; this.next++) {
      const f = this.next
      const p = this.pending.get(f)
      this.pending.delete(f)
      if (!p) {
        out.push({ frame: f, visible: false, x: 0, y: 0, confidence: 0, candidates: [] })
        continue
      }
      const [decoder, map] =
        p.maps.length === 1 ? [this.direct, p.maps[0] as Float32Array] : [this.averaged, this.mean(p.maps)]
      const candidates = decoder.candidates(map, 0, CANDIDATES_PER_FRAME)
      const best = candidates[0]
      if (best) {
        out.push({ frame: f, visible: true, x: best.x, y: best.y, confidence: best.confidence, candidates })
      } else {
        // Nothing reached the threshold: the heatmap's peak, as decode() reports it.
        const d = decoder.decode(map)
        out.push({ frame: f, visible: false, x: 0, y: 0, confidence: d.confidence, candidates })
      }
    }
    return out
  }

  /** The mean's buffer, reused: each frame's mean is decoded before the next is made (finish is synchronous). */
  private acc: Float32Array | null = null
  /** Each pixel's strongest logit across the windows of the frame being averaged (mean()'s scratch). */
  private top: Float32Array | null = null

  private mean(maps: Float32Array[]): Float32Array {
    const acc = (this.acc ??= new Float32Array(this.plane)).fill(0)
    const k = maps.length
    if (!this.logits) {
      for (const m of maps)
        for (let i = 0; i < this.plane; i++) acc[i] = (acc[i] as number) + (m[i] as number)
      for (let i = 0; i < this.plane; i++) acc[i] = (acc[i] as number) / k
      return acc
    }
    // The sigmoid of every pixel of every window was the largest part of this thread's work while the model ran
    // (profiled on 720p), and nearly every pixel is background, far below any threshold in every window: those
    // stay 0 instead of a mean probability under 0.000453, which no output can tell apart (blobs start at the
    // threshold, and a peak under it is kept to three decimals). The others get exactly the float32 sums the
    // window-by-window loop made, in the same order. Each pixel's strongest logit is found first, map by map:
    // half the time of asking every window pixel by pixel.
    const top = (this.top ??= new Float32Array(this.plane))
    top.set(maps[0] as Float32Array)
    for (let j = 1; j < k; j++) {
      const m = maps[j] as Float32Array
      for (let i = 0; i < this.plane; i++) if ((m[i] as number) > (top[i] as number)) top[i] = m[i] as number
    }
    for (let i = 0; i < this.plane; i++) {
      if ((top[i] as number) < this.negligible) continue
      let sum = 0
      for (const m of maps) sum = Math.fround(sum + Math.fround(1 / (1 + Math.exp(-(m[i] as number)))))
      acc[i] = sum / k
    }
    return acc
  }
}

/**
 * A logit whose probability (sigmoid(-7.7) = 0.000453) rounds to 0.000, the precision results are kept to, so
 * a mean of such probabilities does too: about the tightest bound that changes no output, and each pixel it
 * leaves out saves a sigmoid per window.
 */
const NEGLIGIBLE_LOGIT = -7.7

/**
 * Every frame's detection re-chosen among its candidates by trajectory (shared/heatmap/trajectory.ts): the
 * chosen candidate's position and peak, or not visible where the best path takes none (its confidence then
 * stays the frame's peak, as for a frame nothing reached the threshold in). Candidates are kept as they are.
 */
export function chooseAlongTrajectory(
  detections: readonly RawDetection[],
  o: TrajectoryOptions
): RawDetection[] {
  const pick = chooseTrajectory(
    detections.map((d) => d.candidates),
    o
  )
  return detections.map((d, i) => {
    const c = d.candidates[pick[i] as number]
    if (c) return { ...d, visible: true, x: c.x, y: c.y, confidence: c.confidence }
    const peak = d.candidates.reduce((m, k) => Math.max(m, k.confidence), d.visible ? 0 : d.confidence)
    return { ...d, visible: false, x: 0, y: 0, confidence: peak }
  })
}
