// Runs in plain Node (scripts/bench-adapt.ts): F1 of a model the way the app gets it — the tracking engine in
// this process (onnxruntime, ffmpeg, the model's own window stride and frame spacing) over whole videos, scored
// with the shared TrackNet metrics (τ 4 px at 512×288, scaled to the video) against the given labels only; raw
// detections and the rectified track that `track` writes.
import { existsSync, readdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { FfmpegInfo } from '../../src/backend/ffmpeg/locate'
import { rectifyTrack, trackVideo, type LoadedModel } from '../../src/backend/tracking'
import { readLabelCsv } from '../../src/shared/labels/read'
import type { LabelPoint } from '../../src/shared/labels/types'
import { evaluateTrack, summarise, toleranceFor, type TrackEvaluation } from '../../src/shared/metrics'
import { restSpots, withoutLyingShuttle } from './bench-adapt-rest'

export interface ScoredClip {
  video: string
  /** Labels to score against; null: read <match>/csv/<clip>_ball.csv once the video's size is known. */
  labels: LabelPoint[] | null
  labelsFile?: string
  /** All the clip's labels: with them, F1 is also given without the frames a lying shuttle was labelled not
   *  visible (bench-adapt-rest.ts). */
  restFrom?: LabelPoint[]
}

export interface F1Result {
  raw: number
  rectified: number
  frames: number
  clips: number
  /** Rectified F1 without the frames where a shuttle lay but the labels call it not visible, and how many
   *  those were (clips with restFrom only). */
  lying?: { rectified: number; left: number }
}

const asLabels = (ps: readonly { frame: number; visible: boolean; x: number; y: number }[]): LabelPoint[] =>
  ps.map((p) => ({ frame: p.frame, visible: p.visible, x: p.x, y: p.y }))

export async function trackF1(
  model: LoadedModel,
  ffmpeg: FfmpegInfo,
  clips: readonly ScoredClip[],
  cacheDir: string,
  threads?: number
): Promise<F1Result> {
  const raw: TrackEvaluation[] = []
  const rect: TrackEvaluation[] = []
  const rectLying: TrackEvaluation[] = []
  let left = 0
  let frames = 0
  for (const c of clips) {
    const r = await trackVideo({ video: c.video, model, ffmpeg, cacheDir, provider: 'cpu', threads })
    const size = { width: r.video.width, height: r.video.height }
    const labels = c.labels ?? readLabelCsv(await readFile(c.labelsFile!, 'utf8'), { video: size }).points
    const tol = toleranceFor(size)
    raw.push(evaluateTrack(asLabels(r.detections), labels, tol))
    const rectified = asLabels(rectifyTrack(r.detections, { video: size, windowStride: r.stride }))
    rect.push(evaluateTrack(rectified, labels, tol))
    frames += labels.length
    if (c.restFrom) {
      const kept = withoutLyingShuttle(rectified, labels, restSpots(c.restFrom), tol)
      rectLying.push(evaluateTrack(rectified, kept.labels, tol))
      left += kept.left
    }
  }
  const lying = rectLying.length ? { rectified: summarise(rectLying).F1, left } : undefined
  return { raw: summarise(raw).F1, rectified: summarise(rect).F1, frames, clips: clips.length, lying }
}

/** The clips of a TrackNet-layout folder with labels (the real val set), or null when it is not there. */
export function valClips(dir: string): ScoredClip[] | null {
  if (!existsSync(dir)) return null
  const out: ScoredClip[] = []
  for (const match of readdirSync(dir).sort()) {
    const vdir = path.join(dir, match, 'video')
    if (!existsSync(vdir)) continue
    for (const v of readdirSync(vdir).sort()) {
      if (!v.endsWith('.mp4')) continue
      const labelsFile = path.join(dir, match, 'csv', `${path.basename(v, '.mp4')}_ball.csv`)
      if (existsSync(labelsFile)) out.push({ video: path.join(vdir, v), labels: null, labelsFile })
    }
  }
  return out
}

export const pct = (f: number | null | undefined): string =>
  f === null || f === undefined || Number.isNaN(f) ? '-' : (f * 100).toFixed(1)
