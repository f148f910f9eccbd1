// Runs in plain Node (the command line): `shuttle-studio adapt ROOT [--base MODEL] --minutes M --out MODEL.onnx
// [--max-frames N]` — fine-tunes a tracker model (the bundled one by default) on the labels of a studio project
// or any TrackNet-layout folder, within a time budget, and writes MODEL.onnx (with MODEL.pt beside it, so it can
// be adapted again). Ground truth is what `eval` scores against; part of it is held back to measure the model
// before and after. The Python side (python -m shuttle_training.adapt) trains and writes the model atomically;
// this checks it is there whole. Ctrl-C stops at once and still writes the best model so far (exit 130).
// Exit codes: 0 done, 1 the training crashed (--resume continues), 2 bad arguments, too few labels or no Python
// with PyTorch, 3 base model problem, 4 video problem, 5 write problem, 130 interrupted.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Command } from 'commander'
import { studioCacheDir } from '../../backend/app-paths'
import { AdaptBaseProblem, resolveAdaptBase } from '../../backend/adapt/adapt-base'
import { writeAdaptManifest } from '../../backend/adapt/adapt-data'
import { locateFfmpeg } from '../../backend/ffmpeg/locate'
import { defaultModelDirs } from '../../backend/tracking/model-catalog'
import { findTorchPython, NO_PYTHON_HINT, torchPythonAt } from '../../backend/training/python'
import { defaultTrainingPackageDir } from '../../backend/training/training-service'
import { formatAdaptSummary } from './adapt-report'
import { runAdaptProcess } from './adapt-run'

export const EXIT = { ok: 0, failed: 1, badArgs: 2, model: 3, video: 4, write: 5, interrupted: 130 } as const

export interface AdaptOptions {
  base?: string
  minutes?: string
  out?: string
  maxFrames?: string
  threads?: string
  seed?: string
  python?: string
  runDir?: string
  resume?: boolean
  replay?: string
}

export interface AdaptIo {
  out: (text: string) => void
  err: (text: string) => void
  /** Show a progress bar on stderr (only where stderr is a terminal). */
  progress?: boolean
  cacheDir?: string
  signal?: AbortSignal
  /** Seconds a stopped run may take to write its model before it is killed. */
  graceMs?: number
}

const consoleIo: AdaptIo = { out: (t) => console.log(t), err: (t) => console.error(t), progress: true }

function positiveInt(v: string | undefined, name: string): number | string | undefined {
  if (v === undefined) return undefined
  const n = Number(v)
  return Number.isInteger(n) && n > 0 ? n : `${name} must be a whole number above 0, not "${v}".`
}

/** The whole command without commander or process.exit: returns the exit code. */
export async function runAdaptCommand(
  root: string,
  o: AdaptOptions,
  io: AdaptIo = consoleIo
): Promise<number> {
  const fail = (code: number, msg: string): number => {
    io.err(`shuttle-studio adapt: ${msg}`)
    return code
  }
  if (!root)
    return fail(EXIT.badArgs, 'give the folder to adapt on (a project or <match>/video + <match>/csv).')
  const minutes = Number(o.minutes)
  if (o.minutes === undefined) return fail(EXIT.badArgs, 'missing --minutes M: the time budget for training.')
  if (o.minutes.trim() === '' || !Number.isFinite(minutes) || minutes <= 0)
    return fail(EXIT.badArgs, `--minutes must be a number of minutes above 0, not "${o.minutes}".`)
  if (!o.out) return fail(EXIT.badArgs, 'missing --out MODEL.onnx: where to write the adapted model.')
  if (!o.out.toLowerCase().endsWith('.onnx'))
    return fail(
      EXIT.badArgs,
      `--out must name an .onnx file (MODEL.pt is written beside it), not "${o.out}".`
    )
  const maxFrames = positiveInt(o.maxFrames, '--max-frames')
  const threads = positiveInt(o.threads, '--threads')
  const seed = o.seed === undefined ? undefined : Number(o.seed)
  for (const v of [maxFrames, threads]) if (typeof v === 'string') return fail(EXIT.badArgs, v)
  if (seed !== undefined && !Number.isInteger(seed))
    return fail(EXIT.badArgs, `--seed must be a whole number, not "${o.seed}".`)
  const rootDir = path.resolve(root)
  if (!(await stat(rootDir).catch(() => null))?.isDirectory())
    return fail(EXIT.badArgs, `${rootDir} is not a folder.`)
  const replay = o.replay === undefined ? undefined : path.resolve(o.replay)
  if (replay !== undefined && !(await stat(replay).catch(() => null))?.isDirectory())
    return fail(EXIT.badArgs, `--replay ${replay} is not a folder.`)
  const out = path.resolve(o.out)
  if ((await stat(out).catch(() => null))?.isDirectory())
    return fail(EXIT.badArgs, `--out ${out} is a folder; name the .onnx file to write.`)
  try {
    await mkdir(path.dirname(out), { recursive: true })
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'EEXIST' || code === 'ENOTDIR')
      return fail(EXIT.badArgs, `--out ${out}: a file stands where its folder should be.`)
    return fail(EXIT.write, `cannot create the folder of ${out} (${(e as Error).message}).`)
  }

  const cacheDir = io.cacheDir ?? studioCacheDir()
  let base
  try {
    base = resolveAdaptBase(o.base, defaultModelDirs(cacheDir))
  } catch (e) {
    if (e instanceof AdaptBaseProblem) return fail(EXIT.model, `base model problem: ${e.message}`)
    throw e
  }
  let ffprobe: string
  try {
    ffprobe = (await locateFfmpeg()).ffprobePath
  } catch (e) {
    return fail(EXIT.video, (e as Error).message)
  }
  // One run folder per (labels, output): --resume finds the checkpoints of the run that stopped.
  const key = createHash('sha256').update(`${rootDir}\0${out}`).digest('hex').slice(0, 16)
  const runDir = path.resolve(o.runDir ?? path.join(cacheDir, 'adapt', key))
  let written
  try {
    written = await writeAdaptManifest(rootDir, runDir, {
      maxFrames: maxFrames as number | undefined,
      ffprobe
    })
  } catch (e) {
    return fail(EXIT.write, `cannot write the run folder ${runDir} (${(e as Error).message}).`)
  }
  const { summary } = written
  for (const s of summary.skipped) if (s.kind !== 'no-labels') io.err(`warning: ${s.reason}`)
  if (summary.clips.length) io.err(formatAdaptSummary(summary))
  if (summary.problem) {
    const videoOnly =
      summary.clips.length === 0 && summary.skipped.some((s) => s.kind === 'no-video' || s.kind === 'video')
    return fail(videoOnly ? EXIT.video : EXIT.badArgs, summary.problem)
  }
  const python = o.python ? await torchPythonAt(o.python) : await findTorchPython()
  if (!python) {
    return fail(EXIT.badArgs, `--python ${o.python} cannot import torch and onnx. ${NO_PYTHON_HINT}`)
  }
  if ('problem' in python) return fail(EXIT.badArgs, python.problem)
  const packageDir = defaultTrainingPackageDir()
  if (!existsSync(path.join(packageDir, 'shuttle_training')))
    return fail(
      EXIT.failed,
      `the training package is not at ${packageDir} (set SHUTTLE_TRAINING_DIR to the folder holding shuttle_training).`
    )

  io.err(`base ${base.pt}; python ${python.path} (torch ${python.torch}); run folder ${runDir}`)
  return runAdaptProcess(
    {
      python: python.path,
      packageDir,
      manifest: written.manifest,
      base: base.pt,
      minutes,
      out,
      runDir,
      resume: o.resume,
      threads: threads as number | undefined,
      seed,
      replay,
      signal: io.signal,
      graceMs: io.graceMs
    },
    io
  )
}

export function registerAdapt(program: Command): void {
  program
    .command('adapt')
    .description('Fine-tune a tracker model on the labels of a project or TrackNet-layout folder')
    .argument(
      '<root>',
      'a studio project or a folder of <match>/video/<clip>.mp4 + <match>/csv/<clip>_ball.csv'
    )
    .option('--base <model>', 'model id, an .onnx with its .pt beside it, or a .pt (default: mmfnet-small)')
    .option('--minutes <m>', 'time budget in minutes (wall time, evaluation and export included)')
    .option('--out <file.onnx>', 'the adapted model (FILE.pt is written beside it)')
    .option('--max-frames <n>', 'train on at most N labelled frames, taken evenly')
    .option('--threads <n>', 'PyTorch threads (default: the training package’s)')
    .option('--seed <n>', 'random seed')
    .option('--python <path>', 'the Python with PyTorch (default: SHUTTLE_PYTHON, then python3)')
    .option(
      '--run-dir <dir>',
      'checkpoints and decoded frames (default: in the cache folder, per ROOT and --out)'
    )
    .option(
      '--replay <dir>',
      'a TrackNet-layout folder (e.g. from `synth`) mixed into training so the model forgets less'
    )
    .option('--resume', 'continue the run that stopped (same ROOT and --out) from its last checkpoint')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.badArgs))
    .action(async (root: string, o: AdaptOptions) => {
      const ac = new AbortController()
      const onSig = (): void => ac.abort()
      process.once('SIGINT', onSig)
      process.once('SIGTERM', onSig)
      process.exitCode = await runAdaptCommand(root, o, { ...consoleIo, signal: ac.signal })
      process.off('SIGINT', onSig)
      process.off('SIGTERM', onSig)
    })
}
