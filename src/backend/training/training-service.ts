// Runs in the backend (plain Node): runs training jobs — the Python training package fine-tuning on a
// project folder — streams their progress as events, stops them on request, and exports the result into the
// user's models folder where the tracker finds it. The model is exported into the run's folder and moved into the
// models folder only once the exporter has said it succeeded: the tracker never lists a model whose export
// failed (its parity check, say) or was cut short by a crash.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, readdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { createInterface } from 'node:readline'
import type { z } from 'zod'
import type { Params, Result } from '../../shared/api/contract'
import { ApiError } from '../../shared/api/errors'
import type { TrainingJob } from '../../shared/api/methods/training'
import type { EventBus } from '../rpc/event-bus'
import { parseProgressLine } from './progress-line'
import { findTorchPython, type TorchPython } from './python'
import { JobRegistry, type Job, type JobContext, type JobOutcome } from '../jobs/registry'

type WireJob = z.infer<typeof TrainingJob>
/** A training job's own fields (the registry holds its id, state, start and message). */
type Training = Omit<WireJob, 'jobId' | 'state' | 'startedAt' | 'message'>

export interface TrainingServiceOptions {
  /** Folder holding the `shuttle_training` package. */
  packageDir: string
  /** Where runs (checkpoints, logs) go. */
  runsDir: string
  /** Where exported models go (the tracker's user models folder). */
  modelsDir: string
  pythonSetting?: string | null
  /** Where the bundled models and their PyTorch checkpoints (<arch>.pt) are; null: none to fine-tune from. */
  bundledDir?: string | null
}

/** Thresholds a fine-tune's validation tries; the best one (TrackNet F1 on the held-out match) ships. */
export const EVAL_THRESHOLDS = '0.5,0.6,0.7,0.8,0.9'

/** How a fine-tune from a bundled checkpoint trains: the recipe that improved the bundled model itself
 *  (training/RESULTS.md): whole 288x512 frames, so every step shows the static look-alikes (logos, shoes)
 *  that crops rarely contain; a low learning rate, since a high one first undoes what the model knew; and
 *  the bundled model's own positive weight, so its calibrated threshold keeps its meaning. */
export const FINE_TUNE_ARGS = ['--crop', '288x512', '--batch', '4', '--lr', '3e-4', '--pos-weight', '10']

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
  private readonly jobs: JobRegistry<Training>
  private python: TorchPython | { problem: string } | null = null

  constructor(
    private readonly opts: TrainingServiceOptions,
    private readonly bus: EventBus
  ) {
    this.jobs = new JobRegistry<Training>({
      // One job at a time; the last one stays for status().
      keepFinished: 1,
      cancelledMessage: 'Stopped.',
      publish: (job) => this.bus.emit('training.update', wire(job))
    })
  }

  async status(): Promise<Result<'training.status'>> {
    const py = await this.findPython()
    const job = this.jobs.latest()
    return {
      python: 'path' in py ? py : null,
      problem: 'problem' in py ? py.problem : null,
      job: job ? wire(job) : null
    }
  }

  async start(p: Params<'training.start'>): Promise<Result<'training.start'>> {
    if (this.jobs.active().length) {
      throw new ApiError('bad-request', 'A training job is already running: cancel it first.')
    }
    const py = await this.findPython()
    if ('problem' in py) throw new ApiError('not-found', py.problem)
    if (!existsSync(path.join(this.opts.packageDir, 'shuttle_training'))) {
      throw new ApiError(
        'not-found',
        `The training package is not at ${this.opts.packageDir} (set SHUTTLE_TRAINING_DIR to the folder holding shuttle_training).`
      )
    }
    const projectDir = path.resolve(p.projectDir)
    const matches = await listMatches(projectDir)
    if (matches.length === 0) {
      throw new ApiError(
        'bad-request',
        `${projectDir} has no labelled clips (<match>/csv/<clip>_ball.csv): label some frames first.`
      )
    }
    const jobId = `train-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`
    const runDir = path.join(this.opts.runsDir, jobId)
    await mkdir(runDir, { recursive: true })
    // The last match is held out when there are several (and left out of training), so the F1 shown means
    // something; a project of one match can only validate on what it trains on.
    const heldOut = matches.length > 1 ? matches[matches.length - 1]! : null
    const val = heldOut ? path.join(projectDir, heldOut) : projectDir
    // Fine-tuning starts from the bundled model of that architecture where its checkpoint ships with the app.
    const arch = p.arch ?? 'mmfnet-small'
    const bundled = this.opts.bundledDir ? path.join(this.opts.bundledDir, `${arch}.pt`) : null
    const init = p.initCheckpoint ?? (bundled && existsSync(bundled) ? bundled : null)
    const args = [
      '-m',
      'shuttle_training.train',
      '--arch',
      arch,
      '--train',
      projectDir,
      ...(heldOut ? ['--exclude-match', heldOut] : []),
      '--val',
      val,
      '--out',
      runDir,
      '--cache',
      path.join(this.opts.runsDir, 'cache'),
      '--minutes',
      String(p.minutes),
      // Choose the model on the F1 it will run at: overlapping windows, as the bundled model runs, and the
      // best of these thresholds. The export ships that stride and threshold (and that F1) in the metadata.
      '--eval-stride',
      '1',
      '--thresholds',
      EVAL_THRESHOLDS
    ]
    if (init) args.push('--init', init, ...FINE_TUNE_ARGS)
    const data: Training = {
      projectDir,
      runDir,
      phase: 'training',
      step: 0,
      epoch: 0,
      loss: null,
      valF1: null,
      modelPath: null
    }
    const message = [
      init ? `fine-tuning ${path.basename(init)}` : `training ${arch} from scratch`,
      heldOut ? `validating on ${heldOut}` : 'one match only: validating on the training data'
    ].join('; ')
    const job = this.jobs.start(jobId, data, (ctx) => this.run(ctx, py.path, args), {
      state: 'running',
      message
    })
    return wire(job)
  }

  /** Stops the running job; the last checkpoint is still exported (the job ends cancelled, with its model). */
  async cancel({ jobId }: Params<'training.cancel'>): Promise<Result<'training.cancel'>> {
    return { cancelled: this.jobs.cancel(jobId) }
  }

  dispose(): void {
    this.jobs.dispose()
  }

  private async findPython(): Promise<TorchPython | { problem: string }> {
    if (!this.python || 'problem' in this.python) this.python = await findTorchPython(this.opts.pythonSetting)
    return this.python
  }

  private async run(ctx: JobContext<Training>, python: string, args: string[]): Promise<JobOutcome> {
    const train = await this.runPython(python, args, ctx.signal, (line) => onLine(ctx, line))
    const job = ctx.job.data
    const best = path.join(job.runDir, 'best.pt')
    const last = path.join(job.runDir, 'last.pt')
    const checkpoint = existsSync(best) ? best : existsSync(last) ? last : null
    if (!checkpoint) {
      if (ctx.signal.aborted)
        return {
          cancelled: true,
          message: 'Stopped before the first checkpoint: there is no model to export.'
        }
      throw new Error(train.stderrTail || `training exited with code ${train.code}`)
    }
    // A stop asked for during training still exports the last checkpoint; the export itself is not cut short.
    job.phase = 'exporting'
    ctx.progress({ force: true })
    await mkdir(this.opts.modelsDir, { recursive: true })
    const modelPath = path.join(this.opts.modelsDir, `${path.basename(job.projectDir)}-${ctx.job.jobId}.onnx`)
    const exportedTo = path.join(job.runDir, 'model.onnx')
    const exported = await this.runPython(
      python,
      [
        '-m',
        'shuttle_training.export',
        '--checkpoint',
        checkpoint,
        '--out',
        exportedTo,
        '--trained-on',
        `project ${path.basename(job.projectDir)}`
      ],
      null,
      () => undefined
    )
    if (exported.code !== 0 || !existsSync(exportedTo)) {
      throw new Error(`export failed (code ${exported.code}); the checkpoint is kept at ${checkpoint}`)
    }
    await placeModel(exportedTo, modelPath)
    job.modelPath = modelPath
    return { cancelled: ctx.signal.aborted, message: `model saved: ${modelPath}` }
  }

  /** Runs the training package; a cancel (when `signal` is given) sends it SIGTERM, and it keeps its checkpoint. */
  private runPython(
    python: string,
    args: string[],
    signal: AbortSignal | null,
    onLine: (l: string) => void
  ): Promise<{ code: number; stderrTail: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(python, args, {
        cwd: this.opts.packageDir,
        env: { ...process.env, PYTHONPATH: this.opts.packageDir, PYTHONUNBUFFERED: '1' },
        stdio: ['ignore', 'pipe', 'pipe']
      })
      const stop = (): void => void child.kill('SIGTERM')
      signal?.addEventListener('abort', stop, { once: true })
      let stderrTail = ''
      createInterface({ input: child.stdout! }).on('line', onLine)
      child.stderr!.on('data', (d: Buffer) => (stderrTail = (stderrTail + d.toString()).slice(-2000)))
      child.once('error', reject)
      child.once('exit', (code, sig) => {
        signal?.removeEventListener('abort', stop)
        resolve({
          code: code ?? (sig ? 143 : 1),
          stderrTail: stderrTail.trim().split('\n').slice(-3).join(' ')
        })
      })
    })
  }
}

/** Applies one progress line of the training package to the job (an evaluation is published at once). */
function onLine(ctx: JobContext<Training>, line: string): void {
  const ev = parseProgressLine(line)
  if ('text' in ev) return
  const job = ctx.job.data
  if (ev.event === 'step') {
    job.step = ev.step ?? job.step
    job.epoch = ev.epoch ?? job.epoch
    job.loss = ev.loss ?? null
    ctx.progress()
  } else if (ev.event === 'eval' || ev.event === 'epoch') {
    // The eval line carries {tracknet: {f1, …}, strict: {…}}: the TrackNet tolerance is the headline.
    const tracknet = (ev as { tracknet?: { f1?: unknown } }).tracknet
    const f1 = typeof tracknet?.f1 === 'number' ? tracknet.f1 : (ev.F1 ?? ev.f1)
    job.epoch = ev.epoch ?? job.epoch
    if (f1 !== undefined) job.valF1 = f1
    ctx.progress({ force: true })
  } else if (ev.event === 'warning') {
    ctx.job.message = `${ev.file ?? ''}: ${ev.message ?? ''}`
    ctx.progress({ force: true })
  }
}

/** A job as the contract has it. */
function wire(job: Readonly<Job<Training>>): WireJob {
  return {
    jobId: job.jobId,
    state: job.state,
    startedAt: job.startedAt,
    message: job.message,
    ...job.data
  }
}

/** Moves a finished model into the models folder in one rename (a copy beside it first, across disks). */
async function placeModel(from: string, to: string): Promise<void> {
  try {
    await rename(from, to)
    return
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err
  }
  // Not listed while it is copied: the tracker lists *.onnx only.
  const tmp = `${to}.${process.pid}.copying`
  try {
    await copyFile(from, tmp)
    await rename(tmp, to)
  } finally {
    await rm(tmp, { force: true }).catch(() => undefined)
  }
}

async function listMatches(projectDir: string): Promise<string[]> {
  try {
    const entries = await readdir(projectDir, { withFileTypes: true })
    const out: string[] = []
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith('.')) continue
      const csvDir = path.join(projectDir, e.name, 'csv')
      if (existsSync(csvDir) && (await readdir(csvDir)).some((f) => f.endsWith('_ball.csv'))) out.push(e.name)
    }
    return out.sort()
  } catch {
    throw new ApiError('not-found', `The project folder ${projectDir} cannot be read.`)
  }
}
