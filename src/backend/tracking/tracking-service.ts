// Runs in the backend (plain Node): the tracking methods of the contract — models.list, track.start/cancel/
// result — over the tracking engine, as jobs that push track.progress and track.chunk events. Inference runs
// in a worker thread (inference-client.ts), so the host's thread stays free for frames and requests; in the
// desktop app the whole backend is already outside the main process (a utilityProcess).
import { createHash } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { ApiError } from '../../shared/api/errors'
import type { Params, Result } from '../../shared/api/contract'
import type { FfmpegInfo } from '../ffmpeg/locate'
import type { EventBus } from '../rpc/event-bus'
import type { RawDetection } from './heatmap-merge'
import { DEFAULT_MODEL, defaultModelDirs, listModels, loadModel, type ModelDirs } from './model-catalog'
import { rectifyTrack, type RectifiedPoint } from './rectify'
import { trackVideo } from './track-video'
import { rectifiedCsv } from './track-outputs'
import { writeFileAtomic } from '../fs/atomic-write'
import { writeLabelCsv } from '../../shared/labels/write'

type State = Result<'track.result'>['state']
type Point = Result<'track.result'>['points'][number]

interface Job {
  jobId: string
  path: string
  model: string
  state: State
  abort: AbortController
  points: Point[]
}

/** Events per second at most for progress (chunks are not throttled: they carry data). */
const PROGRESS_EVERY_MS = 250
/** A cached track arrives at once; it is sent in pieces of this many frames. */
const CHUNK_POINTS = 2000
/** Finished jobs kept for track.result. */
const KEEP_DONE = 4

function toPoint(d: RawDetection | RectifiedPoint): Point {
  const source = 'source' in d ? d.source : d.visible ? 'detected' : 'none'
  return { frame: d.frame, visible: d.visible, x: d.x, y: d.y, confidence: d.confidence, source }
}

export class TrackingService {
  private readonly jobs = new Map<string, Job>()
  private readonly dirs: ModelDirs

  constructor(
    private readonly o: {
      ffmpeg: FfmpegInfo | null
      ffmpegProblem: string | null
      cacheDir: string
      /**
       * Where a finished track of this video is also kept (the open project's .studio/predictions), or null.
       * The cache already makes a second run instant; this copy travels with the project folder.
       */
      predictionsFile?: (videoPath: string, modelHash: string) => string | null
    },
    private readonly bus: EventBus
  ) {
    this.dirs = defaultModelDirs(o.cacheDir)
  }

  async listModels(): Promise<Result<'models.list'>> {
    const models = await listModels(this.dirs)
    models.sort((a, b) => Number(b.id === DEFAULT_MODEL) - Number(a.id === DEFAULT_MODEL))
    const def = models.find((m) => m.id === DEFAULT_MODEL && !m.problem) ?? models.find((m) => !m.problem)
    return {
      models: models.map((m) => ({
        id: m.id,
        path: m.path,
        source: m.source,
        metadata: m.metadata,
        problem: m.problem
      })),
      defaultModel: def?.id ?? null
    }
  }

  async start(p: Params<'track.start'>): Promise<Result<'track.start'>> {
    if (!this.o.ffmpeg) throw new ApiError('no-ffmpeg', this.o.ffmpegProblem ?? 'ffmpeg is not available.')
    const model = await loadModel(p.model, this.dirs).catch((e: Error) => {
      throw new ApiError('bad-request', `The model cannot be used: ${e.message}`)
    })
    const videoPath = path.resolve(p.path)
    const jobId = `track-${createHash('sha1')
      .update(`${videoPath}|${model.path}|${p.rectify !== false}`)
      .digest('hex')
      .slice(0, 12)}`
    const running = this.jobs.get(jobId)
    if (running && (running.state === 'starting' || running.state === 'running')) return { jobId }
    const job: Job = {
      jobId,
      path: videoPath,
      model: model.id,
      state: 'starting',
      abort: new AbortController(),
      points: []
    }
    this.jobs.set(jobId, job)
    this.forgetOld()
    void this.run(job, model, p)
    return { jobId }
  }

  async cancel({ jobId }: Params<'track.cancel'>): Promise<Result<'track.cancel'>> {
    const job = this.jobs.get(jobId)
    if (!job || (job.state !== 'starting' && job.state !== 'running')) return { cancelled: false }
    job.abort.abort()
    return { cancelled: true }
  }

  async result({ jobId }: Params<'track.result'>): Promise<Result<'track.result'>> {
    const job = this.jobs.get(jobId)
    if (!job)
      throw new ApiError('not-found', `No tracking job ${jobId} (the backend restarted?): start it again.`)
    return {
      jobId,
      path: job.path,
      model: job.model,
      state: job.state,
      points: job.state === 'done' ? job.points : []
    }
  }

  dispose(): void {
    for (const j of this.jobs.values()) j.abort.abort()
  }

  private async run(
    job: Job,
    model: Awaited<ReturnType<typeof loadModel>>,
    p: Params<'track.start'>
  ): Promise<void> {
    const base = { jobId: job.jobId, path: job.path }
    let provider: string | null = null
    let fromCache = false
    let last = 0
    /** One track.progress event, at most every PROGRESS_EVERY_MS unless forced. */
    const progress = (
      done: number,
      total: number,
      fps: number,
      eta: number | null,
      o: { force?: boolean; message?: string; phase?: 'background' | 'tracking' } = {}
    ): void => {
      const now = Date.now()
      if (!o.force && now - last < PROGRESS_EVERY_MS) return
      last = now
      this.bus.emit('track.progress', {
        ...base,
        state: job.state,
        ...(o.phase ? { phase: o.phase } : {}),
        done,
        total,
        fps,
        etaSeconds: eta,
        provider,
        fromCache,
        ...(o.message ? { message: o.message } : {})
      })
    }
    let total = 0
    try {
      const r = await trackVideo({
        video: job.path,
        model,
        ffmpeg: this.o.ffmpeg!,
        cacheDir: this.o.cacheDir,
        provider: p.provider,
        signal: job.abort.signal,
        onStart: (s) => {
          job.state = 'running'
          provider = s.provider
          fromCache = s.fromCache
          total = s.video.frameCount
          progress(s.resumedFrom, total, 0, null, { force: true })
        },
        onBackground: (read, needed) =>
          progress(read, needed, 0, null, { phase: 'background', force: read === needed }),
        onProgress: (q) => progress(q.done, q.total, q.fps, q.etaSeconds),
        onChunk: (ds) => {
          for (let i = 0; i < ds.length; i += CHUNK_POINTS) {
            const part = ds.slice(i, i + CHUNK_POINTS)
            this.bus.emit('track.chunk', {
              ...base,
              from: (part[0] as RawDetection).frame,
              points: part.map(toPoint)
            })
          }
        }
      })
      const rectified =
        p.rectify === false
          ? null
          : rectifyTrack(r.detections, { video: { width: r.video.width, height: r.video.height } })
      job.points = (rectified ?? r.detections).map(toPoint)
      const kept = await this.keepPredictions(job.path, model.hash, r.detections, rectified)
      job.state = 'done'
      progress(total, total, r.seconds > 0 ? (total - r.resumedFrom) / r.seconds : 0, 0, {
        force: true,
        message: kept
      })
    } catch (e) {
      const err = e as Error & { kind?: string }
      job.state = err.kind === 'cancelled' ? 'cancelled' : 'failed'
      this.bus.emit('track.progress', {
        ...base,
        state: job.state,
        done: 0,
        total,
        fps: 0,
        etaSeconds: null,
        provider,
        fromCache,
        message:
          job.state === 'cancelled'
            ? 'Cancelled; what was finished is kept, and tracking again continues from there.'
            : err.message
      })
    }
  }

  /** Writes the project's copy of a finished track; a failure is reported, never fatal (the cache has it). */
  private async keepPredictions(
    videoPath: string,
    modelHash: string,
    raw: readonly RawDetection[],
    rectified: readonly RectifiedPoint[] | null
  ): Promise<string | undefined> {
    const file = this.o.predictionsFile?.(videoPath, modelHash)
    if (!file) return undefined
    const text = rectified
      ? rectifiedCsv(rectified)
      : writeLabelCsv(raw, { confidence: true, frameCount: raw.length })
    try {
      await mkdir(path.dirname(file), { recursive: true })
      await writeFileAtomic(file, text)
      return undefined
    } catch (e) {
      return `The track is done, but its copy in the project could not be written to ${file}: ${(e as Error).message}`
    }
  }

  private forgetOld(): void {
    const done = [...this.jobs.values()].filter((j) => j.state !== 'starting' && j.state !== 'running')
    for (const j of done.slice(0, Math.max(0, done.length - KEEP_DONE))) this.jobs.delete(j.jobId)
  }
}
