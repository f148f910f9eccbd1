// Runs in the backend (plain Node): runs training jobs — the Python training package fine-tuning on a
// project folder — streams their progress as events, stops them on request, and exports the result into the
// user's models folder where the tracker finds it.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readdir } from 'node:fs/promises'
import path from 'node:path'
import { createInterface } from 'node:readline'
import type { z } from 'zod'
import type { Params, Result } from '../../shared/api/contract'
import { ApiError } from '../../shared/api/errors'
import type { TrainingJob } from '../../shared/api/methods/training'
import type { EventBus } from '../rpc/event-bus'
import { parseProgressLine } from './progress-line'
import { findTorchPython, type TorchPython } from './python'

type Job = z.infer<typeof TrainingJob>

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
  private job: Job | null = null
  private child: ChildProcess | null = null
  private python: TorchPython | { problem: string } | null = null
  private stopRequested = false

  constructor(
    private readonly opts: TrainingServiceOptions,
    private readonly bus: EventBus
  ) {}

  async status(): Promise<Result<'training.status'>> {
    const py = await this.findPython()
    return { python: 'path' in py ? py : null, problem: 'problem' in py ? py.problem : null, job: this.job }
  }

  async start(p: Params<'training.start'>): Promise<Result<'training.start'>> {
    if (this.job && (this.job.state === 'running' || this.job.state === 'exporting')) {
      throw new ApiError('bad-request', 'A training job is already running: stop it first.')
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
    this.job = {
      jobId,
      state: 'running',
      projectDir,
      runDir,
      startedAt: Date.now(),
      step: 0,
      epoch: 0,
      loss: null,
      valF1: null,
      modelPath: null,
      message: [
        init ? `fine-tuning ${path.basename(init)}` : `training ${arch} from scratch`,
        heldOut ? `validating on ${heldOut}` : 'one match only: validating on the training data'
      ].join('; ')
    }
    this.stopRequested = false
    this.runPython(py.path, args, (line) => this.onLine(line))
      .then((code) => this.afterTraining(py.path, code))
      .catch((err) => this.update({ state: 'failed', message: (err as Error).message }))
    this.bus.emit('training.update', this.job)
    return this.job
  }

  async stop({ jobId }: Params<'training.stop'>): Promise<Result<'training.stop'>> {
    if (!this.job || this.job.jobId !== jobId || !this.child) return { stopped: false }
    this.stopRequested = true
    this.child.kill('SIGTERM')
    return { stopped: true }
  }

  dispose(): void {
    this.child?.kill('SIGTERM')
  }

  private async findPython(): Promise<TorchPython | { problem: string }> {
    if (!this.python || 'problem' in this.python) this.python = await findTorchPython(this.opts.pythonSetting)
    return this.python
  }

  private runPython(python: string, args: string[], onLine: (l: string) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      const child = spawn(python, args, {
        cwd: this.opts.packageDir,
        env: { ...process.env, PYTHONPATH: this.opts.packageDir, PYTHONUNBUFFERED: '1' },
        stdio: ['ignore', 'pipe', 'pipe']
      })
      this.child = child
      let stderrTail = ''
      createInterface({ input: child.stdout! }).on('line', onLine)
      child.stderr!.on('data', (d: Buffer) => (stderrTail = (stderrTail + d.toString()).slice(-2000)))
      child.once('error', reject)
      child.once('exit', (code, signal) => {
        this.child = null
        if (code !== 0 && !this.stopRequested && stderrTail.trim()) {
          this.update({ message: stderrTail.trim().split('\n').slice(-3).join(' ') })
        }
        resolve(code ?? (signal ? 143 : 1))
      })
    })
  }

  private onLine(line: string): void {
    const ev = parseProgressLine(line)
    if ('text' in ev) return
    if (ev.event === 'step')
      this.update({
        step: ev.step ?? this.job!.step,
        epoch: ev.epoch ?? this.job!.epoch,
        loss: ev.loss ?? null
      })
    else if (ev.event === 'eval' || ev.event === 'epoch') {
      // The eval line carries {tracknet: {f1, …}, strict: {…}}: the TrackNet tolerance is the headline.
      const tracknet = (ev as { tracknet?: { f1?: unknown } }).tracknet
      const f1 = typeof tracknet?.f1 === 'number' ? tracknet.f1 : (ev.F1 ?? ev.f1)
      this.update({ epoch: ev.epoch ?? this.job!.epoch, ...(f1 !== undefined ? { valF1: f1 } : {}) })
    } else if (ev.event === 'warning') this.update({ message: `${ev.file ?? ''}: ${ev.message ?? ''}` })
  }

  private async afterTraining(python: string, code: number): Promise<void> {
    const best = path.join(this.job!.runDir, 'best.pt')
    const last = path.join(this.job!.runDir, 'last.pt')
    const checkpoint = existsSync(best) ? best : existsSync(last) ? last : null
    if (!checkpoint) {
      this.update({
        state: this.stopRequested ? 'stopped' : 'failed',
        message: this.job!.message ?? `training exited with code ${code}`
      })
      return
    }
    this.update({ state: 'exporting' })
    await mkdir(this.opts.modelsDir, { recursive: true })
    const modelPath = path.join(
      this.opts.modelsDir,
      `${path.basename(this.job!.projectDir)}-${this.job!.jobId}.onnx`
    )
    const exportCode = await this.runPython(
      python,
      [
        '-m',
        'shuttle_training.export',
        '--checkpoint',
        checkpoint,
        '--out',
        modelPath,
        '--trained-on',
        `project ${path.basename(this.job!.projectDir)}`
      ],
      () => undefined
    )
    if (exportCode !== 0 || !existsSync(modelPath)) {
      this.update({
        state: 'failed',
        message: `export failed (code ${exportCode}); the checkpoint is kept at ${checkpoint}`
      })
      return
    }
    this.update({
      state: this.stopRequested ? 'stopped' : 'done',
      modelPath,
      message: `model saved: ${modelPath}`
    })
  }

  private update(patch: Partial<Job>): void {
    if (!this.job) return
    this.job = { ...this.job, ...patch }
    this.bus.emit('training.update', this.job)
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
