// Runs in the backend (plain Node): the tracking methods of the contract — models.list, track.start/cancel/
// result — over the tracking engine, as jobs of the job registry (../jobs) that push track.progress and
// track.chunk events. Inference runs in a worker thread (inference-client.ts), so the host's thread stays free
// for frames and requests; in the desktop app the whole backend is already outside the main process.
import { createHash } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { ApiError } from '../../shared/api/errors'
import type { Params, Result } from '../../shared/api/contract'
import type { FfmpegInfo } from '../ffmpeg/locate'
import type { EventBus } from '../rpc/event-bus'
import type { RawDetection } from './heatmap-merge'
import { chooseModelPrecision, defaultPrecisionChoice } from './precision-choice'
import { DEFAULT_MODEL, defaultModelDirs, listModels, loadModel, type ModelDirs } from './model-catalog'
import { fastStride } from './model-spec'
import { rectifyTrack, type RectifiedPoint } from './rectify'
import { trackVideo } from './track-video'
import { rectifiedCsv } from './track-outputs'
import { writeFileAtomic } from '../fs/atomic-write'
import { writeLabelCsv } from '../../shared/labels/write'
import { withCandidatesColumn } from '../../shared/heatmap'
import { JobRegistry, type JobContext, type JobOutcome } from '../jobs/registry'

type Point = Result<'track.result'>['points'][number]

/** A tracking job's own fields (the registry holds its id, state and message). */
interface Tracked {
  path: string
  model: string
  phase?: 'background' | 'tracking'
  done: number
  total: number
  fps: number
  etaSeconds: number | null
  provider: string | null
  fromCache: boolean
  points: Point[]
}

/** A cached track arrives at once; it is sent in pieces of this many frames. */
const CHUNK_POINTS = 2000
/** Finished jobs kept for track.result. */
const KEEP_DONE = 4

function toPoint(d: RawDetection | RectifiedPoint): Point {
  const source = 'source' in d ? d.source : d.visible ? 'detected' : 'none'
  return { frame: d.frame, visible: d.visible, x: d.x, y: d.y, confidence: d.confidence, source }
}

export class TrackingService {
  private readonly jobs: JobRegistry<Tracked>
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
      /** Where models are found (with the open project's, which change as projects open); default the
       *  bundled and the cache folder's. */
      modelDirs?: ModelDirs
    },
    private readonly bus: EventBus
  ) {
    this.dirs = o.modelDirs ?? defaultModelDirs(o.cacheDir)
    this.jobs = new JobRegistry<Tracked>({
      keepFinished: KEEP_DONE,
      cancelledMessage: 'Cancelled; what was finished is kept, and tracking again continues from there.',
      publish: (job) => {
        const { points: _points, model: _model, phase, ...d } = job.data
        this.bus.emit('track.progress', {
          jobId: job.jobId,
          state: job.state,
          ...d,
          ...(phase ? { phase } : {}),
          ...(job.message ? { message: job.message } : {})
        })
      }
    })
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
      .update(`${videoPath}|${model.path}|${p.rectify !== false}${p.fast ? '|fast' : ''}`)
      .digest('hex')
      .slice(0, 12)}`
    if (this.jobs.isActive(jobId)) return { jobId }
    const data: Tracked = {
      path: videoPath,
      model: model.id,
      done: 0,
      total: 0,
      fps: 0,
      etaSeconds: null,
      provider: null,
      fromCache: false,
      points: []
    }
    this.jobs.start(jobId, data, (ctx) => this.run(ctx, model, p))
    return { jobId }
  }

  async cancel({ jobId }: Params<'track.cancel'>): Promise<Result<'track.cancel'>> {
    return { cancelled: this.jobs.cancel(jobId) }
  }

  async result({ jobId }: Params<'track.result'>): Promise<Result<'track.result'>> {
    const job = this.jobs.get(jobId)
    if (!job)
      throw new ApiError('not-found', `No tracking job ${jobId} (the backend restarted?): start it again.`)
    return {
      jobId,
      path: job.data.path,
      model: job.data.model,
      state: job.state,
      points: job.state === 'done' ? job.data.points : []
    }
  }

  dispose(): void {
    this.jobs.dispose()
  }

  private async run(
    ctx: JobContext<Tracked>,
    model: Awaited<ReturnType<typeof loadModel>>,
    p: Params<'track.start'>
  ): Promise<JobOutcome> {
    const d = ctx.job.data
    const base = { jobId: ctx.job.jobId, path: d.path }
    /** Sets the counters and publishes them (throttled unless forced). */
    const progress = (
      q: { done: number; total: number; fps: number; etaSeconds: number | null },
      o: { force?: boolean; phase?: 'background' } = {}
    ): void => {
      Object.assign(d, q, { phase: o.phase })
      ctx.progress({ force: o.force })
    }
    // The int8 sibling where it measured faster on this CPU; the panel shows which runs and why.
    const chosen = await chooseModelPrecision(model, {
      choice: defaultPrecisionChoice(),
      provider: p.provider,
      cacheDir: this.o.cacheDir
    })
    const r = await trackVideo({
      video: d.path,
      model: chosen.model,
      ffmpeg: this.o.ffmpeg!,
      cacheDir: this.o.cacheDir,
      provider: p.provider,
      stride: p.fast ? fastStride(model.spec) : undefined,
      signal: ctx.signal,
      onStart: (s) => {
        const fast =
          s.stride !== model.spec.windowStride
            ? ` · fast: each frame seen once (threshold ${s.threshold})`
            : ''
        d.provider = s.provider && `${s.provider} · ${chosen.precision} (${chosen.reason})${fast}`
        d.fromCache = s.fromCache
        d.total = s.video.frameCount
        d.done = s.resumedFrom
        ctx.running()
      },
      onBackground: (read, needed) =>
        progress(
          { done: read, total: needed, fps: 0, etaSeconds: null },
          { phase: 'background', force: read === needed }
        ),
      onProgress: (q) => progress(q),
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
        : rectifyTrack(r.detections, {
            video: { width: r.video.width, height: r.video.height },
            windowStride: r.stride
          })
    d.points = (rectified ?? r.detections).map(toPoint)
    const kept = await this.keepPredictions(d.path, model.hash, r.detections, rectified)
    const total = r.video.frameCount
    Object.assign(d, {
      phase: undefined,
      done: total,
      total,
      fps: r.seconds > 0 ? (total - r.resumedFrom) / r.seconds : 0,
      etaSeconds: 0
    })
    return { message: kept ?? null }
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
    // With each frame's candidates, so the Train tab can see where the trajectory chose another blob.
    const text = withCandidatesColumn(
      rectified ? rectifiedCsv(rectified) : writeLabelCsv(raw, { confidence: true, frameCount: raw.length }),
      raw.map((d) => d.candidates)
    )
    try {
      await mkdir(path.dirname(file), { recursive: true })
      await writeFileAtomic(file, text)
      return undefined
    } catch (e) {
      return `The track is done, but its copy in the project could not be written to ${file}: ${(e as Error).message}`
    }
  }
}
