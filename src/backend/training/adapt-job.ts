// Runs in the backend (plain Node): one adaptation run as a job of the registry — the manifest of the project's
// labels (kept in the run folder, so a resumed run trains on what it started with), the Python adaptation with
// its events applied to the job (the live chart's points), Stop (the phase turns 'stopping' at once; the
// Python side exports the best model so far), and the adapted model moved into the project's models, where the
// tracker lists it. The run's record is marked finished once nothing is left to resume.
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { z } from 'zod'
import type { TrainingJob } from '../../shared/api/methods/training'
import type { AdaptEvent } from '../adapt/adapt-events'
import { writeAdaptManifest } from '../adapt/adapt-data'
import { MANIFEST_FILE } from '../adapt/adapt-manifest'
import { runAdapt } from '../adapt/run-adapt'
import type { JobContext, JobOutcome } from '../jobs/registry'
import { placeModelPair, projectModelsDir } from './project-models'
import { writeRunRecord, type RunRecord } from './run-record'

type WireJob = z.infer<typeof TrainingJob>
/** An adaptation job's own fields (the registry holds its id, state, start and message). */
export type AdaptJobData = Omit<WireJob, 'jobId' | 'state' | 'startedAt' | 'message'>

/** Points kept per chart series; beyond it every other point is dropped (the shape stays, the size bounded). */
export const MAX_SERIES_POINTS = 2000

export interface AdaptRunDeps {
  python: string
  packageDir: string
  ffprobe: string | null
  record: RunRecord
  resume: boolean
}

export function newJobData(projectDir: string, runDir: string, r: RunRecord, resumed: boolean): AdaptJobData {
  return {
    phase: 'preparing',
    projectDir,
    runDir,
    base: path.basename(r.base),
    name: r.name,
    minutes: r.minutes,
    resumed,
    trainFrames: 0,
    heldFrames: 0,
    step: 0,
    elapsedS: 0,
    budgetS: r.minutes * 60,
    loss: null,
    f1Before: null,
    f1: null,
    bestF1: null,
    losses: [],
    evals: [],
    modelPath: null,
    modelId: null,
    stopped: false
  }
}

export async function runAdaptJob(ctx: JobContext<AdaptJobData>, d: AdaptRunDeps): Promise<JobOutcome> {
  const job = ctx.job.data
  const { record } = d
  // Stop answers at once: the phase says so before the Python side has even read its signal.
  const stopping = (): void => {
    if (job.phase === 'saving') return
    job.phase = 'stopping'
    ctx.progress({ force: true })
  }
  ctx.signal.addEventListener('abort', stopping, { once: true })
  try {
    const manifestFile = path.join(job.runDir, MANIFEST_FILE)
    const manifest =
      d.resume && existsSync(manifestFile)
        ? manifestFile
        : (
            await writeAdaptManifest(job.projectDir, job.runDir, {
              maxFrames: record.maxFrames ?? undefined,
              ...(d.ffprobe ? { ffprobe: d.ffprobe } : {})
            })
          ).manifest
    if (ctx.signal.aborted) {
      await finish(job.runDir, record)
      return { cancelled: true, message: 'Stopped before training began: nothing was saved.' }
    }
    if (job.phase === 'preparing') job.phase = 'training'
    ctx.progress({ force: true })
    const out = path.join(job.runDir, 'model.onnx')
    // Filled in by the events (an object, so what the callbacks set is seen after the await).
    const seen: { exported: Extract<AdaptEvent, { event: 'exported' }> | null; failure: string | null } = {
      exported: null,
      failure: null
    }
    const r = await runAdapt({
      python: d.python,
      packageDir: d.packageDir,
      manifest,
      base: record.basePt,
      minutes: record.minutes,
      out,
      runDir: job.runDir,
      resume: d.resume,
      signal: ctx.signal,
      onEvent: (e) => {
        if (e.event === 'exported') seen.exported = e
        if (e.event === 'error') seen.failure = e.message
        applyEvent(ctx, e)
      }
    })
    const ended = seen.exported
    if (r.code !== 0 || !ended || !existsSync(out)) {
      // Bad data or a bad base model will not get better by resuming; a crash or a kill may.
      const final = r.code === 2 || r.code === 3
      if (final || !existsSync(path.join(job.runDir, 'last.pt'))) await finish(job.runDir, record)
      if (ctx.signal.aborted) return { cancelled: true, message: 'Stopped before a model could be exported.' }
      throw new Error(seen.failure ?? (r.stderrTail || `adaptation exited with code ${r.code}`))
    }
    job.phase = 'saving'
    ctx.progress({ force: true })
    const modelPath = path.join(projectModelsDir(job.projectDir), `${record.name}.onnx`)
    await placeModelPair(out, modelPath)
    await finish(job.runDir, record)
    job.modelPath = modelPath
    job.modelId = record.name
    job.stopped = ended.stopped || ctx.signal.aborted
    job.f1Before = ended.f1_before ?? job.f1Before
    job.bestF1 = ended.f1 ?? job.bestF1
    const score =
      job.bestF1 === null
        ? ''
        : `; held-back F1 ${fmt(job.f1Before)} → ${fmt(job.bestF1)} on the same ${job.heldFrames} frames`
    const how = job.stopped ? 'Stopped; the best model so far was saved' : 'Saved'
    return { cancelled: job.stopped, message: `${how} as ${record.name}${score}.` }
  } finally {
    ctx.signal.removeEventListener('abort', stopping)
  }
}

/** One event of the Python side onto the job; evaluations and the start are published at once. */
export function applyEvent(ctx: JobContext<AdaptJobData>, e: AdaptEvent): void {
  const job = ctx.job.data
  switch (e.event) {
    case 'start':
      job.trainFrames = e.train_frames
      job.heldFrames = e.held_frames
      job.budgetS = e.budget_s
      ctx.progress({ force: true })
      return
    case 'baseline':
      job.f1Before = e.f1
      ctx.progress({ force: true })
      return
    case 'step':
      job.step = e.step
      job.loss = e.loss
      job.elapsedS = e.elapsed_s
      job.budgetS = e.budget_s
      push(job.losses, [e.elapsed_s, e.loss])
      ctx.progress()
      return
    case 'eval':
      job.step = Math.max(job.step, e.step)
      job.elapsedS = Math.max(job.elapsedS, e.elapsed_s)
      job.f1 = e.f1
      job.bestF1 = e.best_f1
      if (e.f1 !== null) push(job.evals, [e.elapsed_s, e.f1])
      ctx.progress({ force: true })
      return
    case 'warning':
      ctx.job.message = e.message
      ctx.progress({ force: true })
      return
    default:
      return
  }
}

function push(series: [number, number][], p: [number, number]): void {
  series.push(p)
  if (series.length > MAX_SERIES_POINTS) {
    const kept = series.filter((_, i) => i % 2 === 0 || i === series.length - 1)
    series.splice(0, series.length, ...kept)
  }
}

async function finish(runDir: string, r: RunRecord): Promise<void> {
  await writeRunRecord(runDir, { ...r, finished: true }).catch(() => undefined)
}

function fmt(f: number | null): string {
  return f === null ? '–' : f.toFixed(3)
}
