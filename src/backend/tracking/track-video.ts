// Runs in the backend (plain Node): tracks one video with one model, end to end — the result cache (keyed by
// the video's content hash and the model's hash: a second run is instant), resuming from the journal of an
// interrupted run, the background frame, the pipeline, progress — and returns the RAW detections of every
// frame. Rectification and output files are the caller's (track-outputs.ts).
import { mkdir, readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { letterbox, readCandidatesColumn, withCandidatesColumn } from '../../shared/heatmap'
import { readLabelCsv } from '../../shared/labels/read'
import { writeLabelCsv } from '../../shared/labels/write'
import type { FfmpegInfo } from '../ffmpeg/locate'
import type { VideoInfo } from '../video'
import { writeFileAtomic } from '../fs/atomic-write'
import { videoContentHash } from '../fs/content-hash'
import { asTrackError, TrackError } from './errors'
import { framesFromMemory, medianBackground, videoFacts } from './frame-source'
import { chooseAlongTrajectory, type RawDetection } from './heatmap-merge'
import { InferencePool } from './inference-pool'
import type { LoadedModel } from './model-catalog'
import { thresholdAt } from './model-spec'
import { PartialWriter, readPartial, removePartial, type PartialHeader } from './partial-file'
import { IN_FLIGHT, runPipeline } from './pipeline'
import type { ProviderChoice } from './providers'
import { frameSpacing, resumePoint, windowLayout } from './windows'

/** Bumped whenever pre- or post-processing changes what a model's output decodes to: old caches go stale.
 *  2: the cache and the journal keep each frame's candidates. */
export const PIPELINE_VERSION = 2

export interface TrackProgress {
  done: number
  total: number
  /** Frames per second of this run so far (frames already done before a resume are not counted). */
  fps: number
  etaSeconds: number | null
}

/** Windows per model call unless a track asks for another (precision-choice.ts measures speed with it). */
export const DEFAULT_BATCH = 2

export interface TrackVideoOptions {
  video: string
  model: LoadedModel
  ffmpeg: FfmpegInfo
  /** The studio's cache folder: results in tracks/, frame indexes in video-index/. */
  cacheDir: string
  provider?: ProviderChoice
  /** onnxruntime threads in all, shared by the sessions (inference-pool.ts poolShape); default every core. */
  threads?: number
  /** onnxruntime sessions sharing the batches on the CPU; default poolShape's (2 where there are 2 cores). */
  workers?: number
  /** onnxruntime's idle threads spin (see InferenceOptions.spin); default off. */
  spin?: boolean
  /** ffmpeg decoder threads during the pipeline; default defaultDecoderThreads() (the background pass, which
   *  runs alone, lets ffmpeg choose). */
  decoderThreads?: number
  /** Frames between windows; default the model's shuttle.window_stride (1 = temporal ensemble). */
  stride?: number
  /** Frames between a window's inputs; default from the video's rate and the model's shuttle.train_fps
   *  (windows.ts frameSpacing). */
  spacing?: number
  /** How a frame's detection is chosen among its candidates: along the most plausible trajectory (default),
   *  or each frame's strongest blob alone (the Python reference's `detect`). */
  choice?: 'trajectory' | 'strongest'
  /** Windows per model call; default DEFAULT_BATCH. */
  batch?: number
  /** Skip the result cache (benchmarks); the journal still works. */
  noCache?: boolean
  signal?: AbortSignal
  onStart?(info: {
    video: VideoInfo
    provider: string | null
    resumedFrom: number
    fromCache: boolean
    spacing: number
    /** Frames between windows, and the threshold decoded at for it (model-spec.ts thresholdAt). */
    stride: number
    threshold: number
  }): void
  onProgress?(p: TrackProgress): void
  /** The background pass (before any frame is tracked): pictures read so far out of those it needs. */
  onBackground?(read: number, needed: number): void
  /** Finished frames, in order, as they come (a resumed run first replays what the journal had). */
  onChunk?(detections: readonly RawDetection[]): void
}

export interface TrackVideoResult {
  video: VideoInfo
  /** One per frame, chosen as TrackVideoOptions.choice says, each with its frame's candidates. */
  detections: RawDetection[]
  fromCache: boolean
  /** The provider that ran with why (null on a cache hit). */
  provider: string | null
  resumedFrom: number
  /** Frames between a window's inputs (1: consecutive frames). */
  spacing: number
  /** Frames between windows (1: every frame averaged over all the windows that hold it). */
  stride: number
  /** Seconds in the pipeline proper (after the model is loaded and the background made). */
  pipelineSeconds: number
  windowsRun: number
  framesDecoded: number
  seconds: number
}

/**
 * While tracking, the model already keeps every core busy: ffmpeg's own thread pool (one per core by default)
 * would only fight it for the same cores and add frame-threading latency. A quarter of the cores (one on a
 * laptop) decodes faster than a 2-core CPU runs the model (scripts/bench-track.ts measures both).
 */
export function defaultDecoderThreads(): number {
  return Math.max(1, Math.round(os.availableParallelism() / 4))
}

/** Three decimals, as the CSV holds them, so a cached or resumed result is bit-identical to a fresh one. */
function quantise(d: RawDetection): RawDetection {
  const q = (v: number): number => Number(v.toFixed(3))
  const candidates = d.candidates.map((c) => ({
    x: q(c.x),
    y: q(c.y),
    mass: q(c.mass),
    confidence: q(c.confidence)
  }))
  return d.visible
    ? { frame: d.frame, visible: true, x: q(d.x), y: q(d.y), confidence: q(d.confidence), candidates }
    : { frame: d.frame, visible: false, x: 0, y: 0, confidence: q(d.confidence), candidates }
}

/** The cache file: the raw CSV with each frame's candidates (track-outputs.ts writes the same for users). */
function cacheCsv(detections: readonly RawDetection[]): string {
  return withCandidatesColumn(
    writeLabelCsv(detections, { confidence: true, frameCount: detections.length }),
    detections.map((d) => d.candidates)
  )
}

export function tracksDir(cacheDir: string): string {
  return path.join(cacheDir, 'tracks')
}

async function readCached(file: string, frameCount: number): Promise<RawDetection[] | null> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    return null
  }
  const parsed = readLabelCsv(text)
  if (parsed.format !== 'prediction' || parsed.points.length !== frameCount) return null
  const candidates = readCandidatesColumn(text)
  if (!candidates || candidates.length !== frameCount) return null
  return parsed.points.map((p, i) => ({
    frame: i,
    visible: p.visible,
    x: p.visible ? p.x : 0,
    y: p.visible ? p.y : 0,
    confidence: p.confidence ?? 0,
    candidates: candidates[i] as RawDetection['candidates']
  }))
}

export async function trackVideo(o: TrackVideoOptions): Promise<TrackVideoResult> {
  const t0 = performance.now()
  const source = { ffmpeg: o.ffmpeg, indexCacheDir: path.join(o.cacheDir, 'video-index'), signal: o.signal }
  let client: InferencePool | null = null
  let journal: PartialWriter | null = null
  try {
    const video = await videoFacts(o.video, source)
    const spec = o.model.spec
    const total = video.frameCount
    const stride = o.stride ?? spec.windowStride
    if (!Number.isInteger(stride) || stride < 1 || stride > spec.framesIn) {
      throw new TrackError(
        'model',
        `A window stride must be 1 to ${spec.framesIn} for this model, not ${stride}.`
      )
    }
    const threshold = thresholdAt(spec, stride)
    if (o.spacing !== undefined && !(Number.isInteger(o.spacing) && o.spacing >= 1)) {
      throw new TrackError('model', `A frame spacing must be a whole number from 1, not ${o.spacing}.`)
    }
    let layout
    let spacing
    try {
      spacing = o.spacing ?? frameSpacing(video.fps, spec.trainFps)
      layout = windowLayout(total, spec.framesIn, spec.framesOut, stride, spacing)
    } catch (e) {
      throw new TrackError('video', `${o.video}: ${(e as Error).message}.`)
    }
    // The cache and the journal hold each frame's strongest blob and its candidates; the choice among them
    // needs every frame, so it is made on the whole clip, here, and is cheap next to the model.
    if (o.choice !== 'strongest' && !(Number.isFinite(video.fps) && video.fps > 0)) {
      throw new TrackError('video', `${o.video}: its frame rate is unknown, so motion cannot be judged.`)
    }
    const choose = (raw: RawDetection[]): RawDetection[] =>
      o.choice === 'strongest'
        ? raw
        : chooseAlongTrajectory(raw, {
            fps: video.fps,
            video: { width: video.width, height: video.height },
            input: { width: spec.width, height: spec.height }
          })
    const key = `${await videoContentHash(video.path)}-${o.model.hash}-p${PIPELINE_VERSION}-s${stride}-k${spacing}`
    const dir = tracksDir(o.cacheDir)
    const cacheFile = path.join(dir, `${key}.csv`)
    if (!o.noCache) {
      const hit = await readCached(cacheFile, total)
      if (hit) {
        o.onStart?.({
          video,
          provider: null,
          resumedFrom: total,
          fromCache: true,
          spacing,
          stride,
          threshold
        })
        o.onChunk?.(hit)
        o.onProgress?.({ done: total, total, fps: 0, etaSeconds: 0 })
        const seconds = (performance.now() - t0) / 1000
        return {
          video,
          detections: choose(hit),
          fromCache: true,
          provider: null,
          resumedFrom: total,
          spacing,
          stride,
          pipelineSeconds: 0,
          windowsRun: 0,
          framesDecoded: 0,
          seconds
        }
      }
    }
    await mkdir(dir, { recursive: true })
    const partialFile = path.join(dir, `${key}.partial`)
    const header: PartialHeader = { v: 1, video: key, model: o.model.hash, frames: total }
    const previous = await readPartial(partialFile, header)
    const { startWindow, firstFrame } = previous
      ? resumePoint(layout, previous.windowsDone, total)
      : { startWindow: 0, firstFrame: 0 }
    const detections: RawDetection[] = []
    const lb = letterbox(
      { width: video.width, height: video.height },
      { width: spec.width, height: spec.height }
    )
    if (previous) detections.push(...previous.detections.slice(0, firstFrame))
    journal = await PartialWriter.open(partialFile, header, { detections, windowsDone: startWindow })

    client = await InferencePool.start(o.model.path, spec, {
      provider: o.provider,
      threads: o.threads,
      workers: o.workers,
      spin: o.spin
    })
    o.onStart?.({
      video,
      provider: client.providerNote,
      resumedFrom: detections.length,
      fromCache: false,
      spacing,
      stride,
      threshold
    })
    if (detections.length) o.onChunk?.(detections)

    let background: Uint8Array | null = null
    let kept: Uint8Array[] | null = null
    if (spec.background) {
      const bgFile = path.join(dir, `${key}.bg`)
      const size = lb.scaledWidth * lb.scaledHeight * 3
      const cached = await readFile(bgFile).catch(() => null)
      if (cached && cached.length === size) background = new Uint8Array(cached)
      else {
        const bg = await medianBackground(o.video, lb, video, source, o.onBackground)
        background = bg.picture
        kept = bg.frames
        await writeFileAtomic(bgFile, background)
      }
    }

    const resumedFrom = detections.length
    const tRun = performance.now()
    const progress = (): void => {
      const secs = (performance.now() - tRun) / 1000
      const fps = secs > 0 ? (detections.length - resumedFrom) / secs : 0
      o.onProgress?.({
        done: detections.length,
        total,
        fps,
        etaSeconds: fps > 0 ? (total - detections.length) / fps : null
      })
    }
    progress()
    const stats = await runPipeline({
      ...source,
      decoderThreads: o.decoderThreads ?? defaultDecoderThreads(),
      path: o.video,
      spec: { ...spec, threshold },
      lb,
      frameCount: total,
      layout,
      startWindow,
      firstFrame,
      background,
      inference: client,
      batch: o.batch ?? DEFAULT_BATCH,
      inFlight: IN_FLIGHT * client.size,
      frames: kept ? (from) => framesFromMemory(kept, from) : undefined,
      onChunk: async (chunk, windowsDone) => {
        const q = chunk.map(quantise)
        await journal!.append(q, windowsDone)
        detections.push(...q)
        o.onChunk?.(q)
        progress()
      }
    })
    const tEnd = performance.now()
    if (detections.length !== total) {
      throw new TrackError(
        'internal',
        `tracking produced ${detections.length} frames for a ${total}-frame video`
      )
    }
    await journal.close()
    journal = null
    if (!o.noCache) await writeFileAtomic(cacheFile, cacheCsv(detections))
    await removePartial(partialFile)
    return {
      video,
      detections: choose(detections),
      fromCache: false,
      provider: client.providerNote,
      resumedFrom,
      spacing,
      stride,
      pipelineSeconds: (tEnd - tRun) / 1000,
      windowsRun: stats.windowsRun,
      framesDecoded: stats.framesDecoded,
      seconds: (performance.now() - t0) / 1000
    }
  } catch (e) {
    throw asTrackError(e, o.video)
  } finally {
    await journal?.close().catch(() => undefined)
    await client?.close().catch(() => undefined)
  }
}
