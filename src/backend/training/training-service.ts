// Runs in the backend (plain Node): the Train tab's methods — the open project's adaptation loop. What it would
// train on (summary), which frames to label next (suggest), adapting the project's tracking model to its labels
// as one job of the registry (start, Stop, resume after a crash: adapt-job.ts), with the adapted model saved in
// <project>/.studio/models where the tracker lists it. Without a Python that has PyTorch it says what to install.
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import path from 'node:path'
import type { z } from 'zod'
import type { Params, Result } from '../../shared/api/contract'
import { ApiError } from '../../shared/api/errors'
import type { ProjectLibrary } from '../../shared/api/methods/project'
import { summariseAdaptData } from '../adapt/adapt-data'
import { JobRegistry, type Job } from '../jobs/registry'
import type { EventBus } from '../rpc/event-bus'
import { DEFAULT_MODEL, loadModel, type ModelDirs } from '../tracking/model-catalog'
import { newJobData, runAdaptJob, type AdaptJobData } from './adapt-job'
import { freshModelName, projectModelsDir, projectRunsDir, ptSibling } from './project-models'
import { findTorchPython, type TorchPython } from './python'
import { readRunRecord, unfinishedRuns, writeRunRecord, type RunRecord } from './run-record'
import { suggestFrames } from './suggest-source'

type Library = z.infer<typeof ProjectLibrary>
type WireJob = Result<'training.start'>

export interface TrainingServiceOptions {
  /** Folder holding the `shuttle_training` package. */
  packageDir: string
  pythonSetting?: string | null
  /** Where models are found: the tracker's own dirs, the open project's included. */
  modelDirs: ModelDirs
  /** The open project's library; null when no project is open. */
  library: () => Promise<Library | null>
  /** Saves the open clips' pending edits to their CSVs, which adaptation reads (none: nothing to save). */
  saveOpenClips?: () => Promise<void>
  /** ffprobe, to read the videos' rate and size; null where there is none (the data summary then finds one). */
  ffprobe?: () => string | null
}

export function defaultTrainingPackageDir(): string {
  const candidates = [
    process.env.SHUTTLE_TRAINING_DIR,
    // Built (out/main/) and from source (src/backend/training/, in tests).
    path.join(__dirname, '..', '..', 'training'),
    path.join(__dirname, '..', '..', '..', 'training'),
    (process as { resourcesPath?: string }).resourcesPath
      ? path.join((process as { resourcesPath?: string }).resourcesPath!, 'training')
      : undefined
  ].filter((c): c is string => !!c)
  return candidates.find((c) => existsSync(path.join(c, 'shuttle_training'))) ?? candidates[0]!
}

export class TrainingService {
  private readonly jobs: JobRegistry<AdaptJobData>
  private python: TorchPython | { problem: string } | null = null

  constructor(
    private readonly opts: TrainingServiceOptions,
    private readonly bus: EventBus
  ) {
    this.jobs = new JobRegistry<AdaptJobData>({
      // One job at a time; the last one stays for status().
      keepFinished: 1,
      cancelledMessage: 'Stopped.',
      publish: (job) => this.bus.emit('training.update', wire(job))
    })
  }

  async status(): Promise<Result<'training.status'>> {
    const py = await this.findPython()
    const job = this.jobs.latest()
    const lib = await this.opts.library().catch(() => null)
    const active = new Set(this.jobs.active().map((j) => j.jobId))
    const unfinished = lib ? (await unfinishedRuns(lib.dir)).filter((r) => !active.has(r.jobId)) : []
    return {
      python: 'path' in py ? py : null,
      problem: 'problem' in py ? py.problem : null,
      job: job ? wire(job) : null,
      unfinished: unfinished.map((r) => ({
        jobId: r.jobId,
        name: r.name,
        base: path.basename(r.base),
        minutes: r.minutes,
        startedAt: r.startedAt
      }))
    }
  }

  async summary(): Promise<Result<'training.summary'>> {
    const lib = await this.needProject()
    await this.opts.saveOpenClips?.()
    const ffprobe = this.opts.ffprobe?.() ?? undefined
    return summariseAdaptData(lib.dir, ffprobe ? { ffprobe } : {})
  }

  async suggest(p: Params<'training.suggest'>): Promise<Result<'training.suggest'>> {
    const lib = await this.needProject()
    const model = p.model
      ? await loadModel(p.model, this.opts.modelDirs).catch((e: Error) => {
          throw new ApiError('bad-request', `The model cannot be used: ${e.message}`)
        })
      : null
    return suggestFrames({ library: lib, model, ffprobe: this.opts.ffprobe?.() ?? null, max: p.max ?? 30 })
  }

  async start(p: Params<'training.start'>): Promise<WireJob> {
    const { lib, python } = await this.ready()
    // The manifest is made from the CSVs: the last edits, still waiting for their save, go in too.
    await this.opts.saveOpenClips?.()
    const ffprobe = this.opts.ffprobe?.() ?? undefined
    const summary = await summariseAdaptData(lib.dir, {
      maxFrames: p.maxFrames,
      ...(ffprobe ? { ffprobe } : {})
    })
    if (summary.problem) throw new ApiError('bad-request', summary.problem)
    const base = await loadModel(p.base ?? DEFAULT_MODEL, this.opts.modelDirs).catch((e: Error) => {
      throw new ApiError('bad-request', `The model to adapt cannot be used: ${e.message}`)
    })
    const basePt = ptSibling(base.path)
    if (!existsSync(basePt)) {
      throw new ApiError(
        'bad-request',
        `${base.id} cannot be adapted: its PyTorch weights (${path.basename(basePt)}) are not beside ${base.path}.`
      )
    }
    const modelsDir = projectModelsDir(lib.dir)
    const name = p.name ?? freshModelName(modelsDir, new Date())
    if (existsSync(path.join(modelsDir, `${name}.onnx`))) {
      throw new ApiError('bad-request', `The project already has a model named ${name}: choose another name.`)
    }
    const jobId = `adapt-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`
    const record: RunRecord = {
      version: 1,
      jobId,
      base: base.id,
      basePt,
      name,
      minutes: p.minutes,
      maxFrames: p.maxFrames ?? null,
      startedAt: Date.now(),
      finished: false
    }
    const runDir = path.join(projectRunsDir(lib.dir), jobId)
    await mkdir(runDir, { recursive: true })
    await writeRunRecord(runDir, record)
    return this.launch(lib.dir, runDir, record, python, false)
  }

  async resume({ jobId }: Params<'training.resume'>): Promise<WireJob> {
    const { lib, python } = await this.ready()
    const runDir = path.join(projectRunsDir(lib.dir), jobId)
    const record = await readRunRecord(runDir)
    if (!record || record.finished || !existsSync(path.join(runDir, 'last.pt'))) {
      throw new ApiError('not-found', `There is no unfinished run ${jobId} in this project to resume.`)
    }
    if (!existsSync(record.basePt)) {
      throw new ApiError('not-found', `The run started from ${record.basePt}, which is no longer there.`)
    }
    if (existsSync(path.join(projectModelsDir(lib.dir), `${record.name}.onnx`))) {
      throw new ApiError('bad-request', `The project already has a model named ${record.name}.`)
    }
    return this.launch(lib.dir, runDir, record, python, true)
  }

  async discard({ jobId }: Params<'training.discard'>): Promise<Result<'training.discard'>> {
    const lib = await this.needProject()
    if (this.jobs.isActive(jobId)) throw new ApiError('bad-request', 'That run is running: stop it first.')
    const runDir = path.join(projectRunsDir(lib.dir), jobId)
    if (!(await readRunRecord(runDir))) return { discarded: false }
    await rm(runDir, { recursive: true, force: true })
    return { discarded: true }
  }

  /** Stop: the job turns 'stopping' at once; the best model so far is still exported and saved. */
  async cancel({ jobId }: Params<'training.cancel'>): Promise<Result<'training.cancel'>> {
    return { cancelled: this.jobs.cancel(jobId) }
  }

  /** Resolves once the job has ended and its last event is sent. */
  settled(jobId: string): Promise<void> {
    return this.jobs.settled(jobId)
  }

  dispose(): void {
    this.jobs.dispose()
  }

  private launch(root: string, runDir: string, record: RunRecord, python: string, resume: boolean): WireJob {
    const data = newJobData(root, runDir, record, resume)
    const message = `${resume ? 'Resuming' : 'Adapting'} ${path.basename(record.base)} to this project's labels`
    const job = this.jobs.start(
      record.jobId,
      data,
      (ctx) =>
        runAdaptJob(ctx, {
          python,
          packageDir: this.opts.packageDir,
          ffprobe: this.opts.ffprobe?.() ?? null,
          record,
          resume
        }),
      { state: 'running', message }
    )
    return wire(job)
  }

  /** The open project and a Python with PyTorch, with nothing else running; else why not. */
  private async ready(): Promise<{ lib: Library; python: string }> {
    if (this.jobs.active().length) {
      throw new ApiError('bad-request', 'An adaptation is already running: stop it first.')
    }
    const lib = await this.needProject()
    const py = await this.findPython()
    if ('problem' in py) throw new ApiError('not-found', py.problem)
    if (!existsSync(path.join(this.opts.packageDir, 'shuttle_training'))) {
      throw new ApiError(
        'not-found',
        `The training package is not at ${this.opts.packageDir} (set SHUTTLE_TRAINING_DIR to the folder holding shuttle_training).`
      )
    }
    return { lib, python: py.path }
  }

  private async needProject(): Promise<Library> {
    const lib = await this.opts.library().catch(() => null)
    if (!lib)
      throw new ApiError('bad-request', 'No project is open: open or create one in the Library first.')
    return lib
  }

  private async findPython(): Promise<TorchPython | { problem: string }> {
    if (!this.python || 'problem' in this.python) this.python = await findTorchPython(this.opts.pythonSetting)
    return this.python
  }
}

/** A job as the contract has it. */
function wire(job: Readonly<Job<AdaptJobData>>): WireJob {
  return {
    jobId: job.jobId,
    state: job.state,
    startedAt: job.startedAt,
    message: job.message,
    ...job.data
  }
}
