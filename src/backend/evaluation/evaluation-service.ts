// Runs in the backend (plain Node): the evaluation methods of the contract — start, cancel, result, frames —
// as jobs that push evaluation.progress. It checks what it can before a job starts (a project open, labelled
// clips with their videos, usable models) so those refusals come back at once with what to do; the job itself
// is run-evaluation.ts, and the figures are the shared metrics' (tables.ts).
import { randomBytes } from 'node:crypto'
import type { EventPayload, Params, Result } from '../../shared/api/contract'
import { ApiError } from '../../shared/api/errors'
import { encodeDistances, encodeOutcomes } from '../../shared/evaluation/outcome-codes'
import type { ClipSnapshot } from '../project/project-service'
import type { EventBus } from '../rpc/event-bus'
import { loadModel, type ModelDirs } from '../tracking/model-catalog'
import { runEvaluation, type EvalClipRef, type EvalRunner } from './run-evaluation'
import { comparison, sideResult, type ScoredClip } from './tables'
import type { Tracker } from './track-clip'
import { JobRegistry, type JobContext, type JobOutcome } from '../jobs/registry'

type EvalResult = Result<'evaluation.result'>
type Progress = EventPayload<'evaluation.progress'>
type Library = Result<'project.library'>

export interface EvaluationServiceOptions {
  projects: { library(): Promise<Library>; snapshotClip(clipId: string): Promise<ClipSnapshot> }
  tracker: Tracker
  bus: EventBus
  modelDirs: ModelDirs
  /** Why tracking cannot run (no ffmpeg), or null when it can. */
  trackingProblem: () => string | null
}

interface PerFrame {
  outcomes: Int8Array
  distances: Float32Array
}

/** An evaluation's own fields (the registry holds its id, state, times and message). */
type Evaluation = Omit<EvalResult, 'jobId' | 'state' | 'startedAt' | 'finishedAt' | 'message'> & {
  perFrame: Map<string, { frameCount: number; a: PerFrame; b: PerFrame | null }>
  /** The clip being tracked or scored now, for the progress events. */
  now: Pick<Progress, 'clipId' | 'clip' | 'side' | 'framesDone' | 'framesTotal'>
}

const NO_CLIP = { clipId: null, clip: null, side: null, framesDone: 0, framesTotal: 0 }

/** Finished evaluations kept for result and frames (each holds a few bytes per evaluated frame). */
const KEEP_DONE = 3

export class EvaluationService {
  private readonly jobs: JobRegistry<Evaluation>

  constructor(private readonly o: EvaluationServiceOptions) {
    this.jobs = new JobRegistry<Evaluation>({
      keepFinished: KEEP_DONE,
      cancelledMessage:
        'Cancelled. The tracker keeps what it finished: running the evaluation again continues from there.',
      publish: (job) =>
        this.o.bus.emit('evaluation.progress', {
          jobId: job.jobId,
          state: job.state,
          clipsDone: job.data.clipsDone,
          clipsTotal: job.data.clipsTotal,
          ...(job.state === 'running' ? job.data.now : NO_CLIP),
          ...(job.message && job.state !== 'running' ? { message: job.message } : {})
        })
    })
  }

  async start(p: Params<'evaluation.start'>): Promise<Result<'evaluation.start'>> {
    const problem = this.o.trackingProblem()
    if (problem)
      throw new ApiError('no-ffmpeg', `Evaluating needs the tracker, which needs ffmpeg: ${problem}`)
    const running = this.jobs.active()[0]
    if (running) {
      throw new ApiError(
        'bad-request',
        `An evaluation is running already (${running.jobId}): wait for it to end or cancel it.`
      )
    }
    const library = await this.o.projects.library()
    const { clips, notes } = chooseClips(library, p.clipIds)
    const runners: EvalRunner[] = [
      { side: 'A', model: await this.model(p.model), rectify: p.rectify ?? true }
    ]
    if (p.compare)
      runners.push({
        side: 'B',
        model: await this.model(p.compare.model),
        rectify: p.compare.rectify ?? true
      })

    const jobId = `eval-${randomBytes(6).toString('hex')}`
    const data: Evaluation = {
      projectDir: library.dir,
      tolerancePx: p.tolerancePx ?? 4,
      groundTruth: p.groundTruth ?? 'people',
      clipsDone: 0,
      clipsTotal: clips.length,
      a: null,
      b: null,
      comparison: null,
      notes,
      perFrame: new Map(),
      now: NO_CLIP
    }
    this.jobs.start(jobId, data, (ctx) => this.run(ctx, clips, runners, p.provider), { state: 'running' })
    return { jobId, clips: clips.length }
  }

  async cancel({ jobId }: Params<'evaluation.cancel'>): Promise<Result<'evaluation.cancel'>> {
    return { cancelled: this.jobs.cancel(jobId) }
  }

  async result({ jobId }: Params<'evaluation.result'>): Promise<EvalResult> {
    const job = jobId ? this.jobs.get(jobId) : this.jobs.latest()
    if (!job) {
      throw new ApiError(
        'not-found',
        jobId
          ? `No evaluation ${jobId} (the backend restarted, or it is an old one): run it again.`
          : 'No evaluation has run yet: start one.'
      )
    }
    const { perFrame: _perFrame, now: _now, ...data } = job.data
    const { jobId: id, state, startedAt, finishedAt, message } = job
    return { jobId: id, state, startedAt, finishedAt, message, ...data }
  }

  async frames({ jobId, clipId }: Params<'evaluation.frames'>): Promise<Result<'evaluation.frames'>> {
    const job = this.jobs.get(jobId)
    if (!job) throw new ApiError('not-found', `No evaluation ${jobId}: run it again.`)
    const f = job.data.perFrame.get(clipId)
    if (!f) {
      throw new ApiError(
        'not-found',
        this.jobs.isActive(jobId)
          ? 'The evaluation is still running: the frames come when it is done.'
          : `Clip ${clipId} was not evaluated in ${jobId}.`
      )
    }
    const wire = (x: PerFrame) => ({
      outcomes: encodeOutcomes(x.outcomes),
      distances: encodeDistances(x.distances)
    })
    return { clipId, frameCount: f.frameCount, a: wire(f.a), b: f.b ? wire(f.b) : null }
  }

  dispose(): void {
    this.jobs.dispose()
  }

  private async model(ref: string | undefined): Promise<{ id: string; path: string }> {
    try {
      const m = await loadModel(ref, this.o.modelDirs)
      return { id: m.id, path: m.path }
    } catch (e) {
      throw new ApiError('bad-request', `The model cannot be used: ${(e as Error).message}`)
    }
  }

  private async run(
    ctx: JobContext<Evaluation>,
    clips: EvalClipRef[],
    runners: EvalRunner[],
    provider: Params<'evaluation.start'>['provider']
  ): Promise<JobOutcome> {
    const job = ctx.job.data
    const out = await runEvaluation(
      {
        jobId: ctx.job.jobId,
        clips,
        runners,
        tolerancePx: job.tolerancePx,
        groundTruth: job.groundTruth,
        provider,
        signal: ctx.signal
      },
      { snapshotClip: (id) => this.o.projects.snapshotClip(id), tracker: this.o.tracker, bus: this.o.bus },
      ({ clipsDone, ...now }) => {
        const nextClip = clipsDone !== job.clipsDone || now.clipId !== job.now.clipId
        job.clipsDone = clipsDone
        job.now = now
        ctx.progress({ force: nextClip })
      }
    )
    job.notes.push(...out.notes)
    const [a, b] = out.scored as [ScoredClip[], ScoredClip[] | undefined]
    if (a.length === 0) {
      throw new ApiError('bad-request', `No clip could be evaluated. ${job.notes.join(' ')}`.trim())
    }
    job.a = sideResult(runners[0]!.model, runners[0]!.rectify, a)
    if (b && runners[1]) {
      job.b = sideResult(runners[1].model, runners[1].rectify, b)
      job.comparison = comparison(a, b)
    }
    a.forEach((c, i) => {
      const other = b?.[i]
      job.perFrame.set(c.clipId, {
        frameCount: c.score.outcomes.length,
        a: { outcomes: c.score.outcomes, distances: c.score.distances },
        b: other ? { outcomes: other.score.outcomes, distances: other.score.distances } : null
      })
    })
  }
}

/** The clips to evaluate, or a refusal saying why there are none. */
function chooseClips(
  library: Library,
  clipIds: readonly string[] | undefined
): { clips: EvalClipRef[]; notes: string[] } {
  const all = library.matches.flatMap((m) => m.clips)
  const ref = (c: (typeof all)[number]): EvalClipRef => ({ clipId: c.clipId, match: c.match, clip: c.clip })
  const videoProblem = (c: (typeof all)[number]): string | null =>
    c.videoKind === 'none'
      ? `${c.match}/${c.clip} has labels but no video: add the video to the match.`
      : c.videoMissing
        ? `The video of ${c.match}/${c.clip} is not at ${c.videoPath}: put it back to evaluate the clip.`
        : null
  if (clipIds) {
    return {
      notes: [],
      clips: clipIds.map((id) => {
        const c = all.find((x) => x.clipId === id)
        if (!c) throw new ApiError('not-found', `There is no clip ${id} in this project.`)
        const problem = videoProblem(c)
        if (problem) throw new ApiError('not-found', problem)
        if (c.labelled === 0)
          throw new ApiError('bad-request', `${c.match}/${c.clip} has no labels: label it before evaluating.`)
        return ref(c)
      })
    }
  }
  const labelled = all.filter((c) => c.labelled > 0)
  const notes = labelled.flatMap((c) => {
    const problem = videoProblem(c)
    return problem ? [`${problem} (left out)`] : []
  })
  const clips = labelled.filter((c) => !videoProblem(c)).map(ref)
  if (clips.length === 0) {
    throw new ApiError(
      'bad-request',
      labelled.length
        ? `No labelled clip of this project has its video. ${notes.join(' ')}`
        : 'No clip of this project has labels: label some frames (or import a label file) before evaluating.'
    )
  }
  return { clips, notes }
}
