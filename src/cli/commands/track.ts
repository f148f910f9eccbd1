// Runs in plain Node (the command line): `shuttle-studio track VIDEO... [--model M] [--out DIR] [--overlay]
// [--provider P] [--precision auto|fp32|int8] [--no-rectify] [--fill-gaps N]` — tracks the shuttle in each video and writes DIR/<video name>.csv
// (rectified, Frame,Visibility,X,Y,Confidence,Source) and DIR/<video name>.raw.csv (the model's detections),
// with --overlay also DIR/<video name>.overlay.mp4. Results are cached by (video content, model) in the cache
// folder, and an interrupted run resumes from its last finished chunk. Progress on stderr, a summary at the end.
// Exit codes: 0 all done, 2 bad arguments, 3 model problem, 4 video problem, 5 write problem, 130 interrupted.
// Scripts depend on this interface: keep it stable.
import { mkdir, stat } from 'node:fs/promises'
import path from 'node:path'
import cliProgress from 'cli-progress'
import type { Command } from 'commander'
import { studioCacheDir } from '../../backend/app-paths'
import { locateFfmpeg, type FfmpegInfo } from '../../backend/ffmpeg/locate'
import {
  defaultModelDirs,
  isProviderChoice,
  loadModel,
  outputName,
  PROVIDER_CHOICES,
  trackVideo,
  TrackError,
  writeTrackOutputs,
  type LoadedModel
} from '../../backend/tracking'
import { fastStride } from '../../backend/tracking/model-spec'
import { writeOverlayVideo } from '../../backend/tracking/overlay'
import { isPrecisionChoice, PRECISION_CHOICES } from '../../backend/tracking/precision'
import { chooseModelPrecision, defaultPrecisionChoice } from '../../backend/tracking/precision-choice'

export const EXIT = { ok: 0, badArgs: 2, model: 3, video: 4, write: 5, interrupted: 130 } as const

export interface TrackOptions {
  model?: string
  out?: string
  overlay?: boolean
  provider?: string
  precision?: string
  rectify?: boolean
  fillGaps?: string
  batch?: string
  threads?: string
  workers?: string
  stride?: string
  fast?: boolean
  cache?: boolean
}

export interface TrackIo {
  out: (text: string) => void
  err: (text: string) => void
  /** Show a progress bar on stderr (only where stderr is a terminal). */
  progress?: boolean
  cacheDir?: string
  signal?: AbortSignal
  ffmpeg?: () => Promise<FfmpegInfo>
}

const consoleIo: TrackIo = { out: (t) => console.log(t), err: (t) => console.error(t), progress: true }

function positiveInt(v: string | undefined, name: string): number | string | undefined {
  if (v === undefined) return undefined
  const n = Number(v)
  return Number.isInteger(n) && n > 0 ? n : `${name} must be a whole number above 0, not "${v}".`
}

/** The whole command without commander or process.exit: returns the exit code. */
export async function runTrack(videos: string[], o: TrackOptions, io: TrackIo = consoleIo): Promise<number> {
  const fail = (code: number, msg: string): number => {
    io.err(`shuttle-studio track: ${msg}`)
    return code
  }
  if (!videos.length) return fail(EXIT.badArgs, 'give at least one video file.')
  const provider = o.provider ?? 'auto'
  if (!isProviderChoice(provider))
    return fail(EXIT.badArgs, `--provider must be one of ${PROVIDER_CHOICES.join(', ')}.`)
  let precision = o.precision
  if (precision === undefined) {
    try {
      precision = defaultPrecisionChoice()
    } catch (e) {
      return fail(EXIT.badArgs, (e as Error).message)
    }
  }
  if (!isPrecisionChoice(precision))
    return fail(EXIT.badArgs, `--precision must be one of ${PRECISION_CHOICES.join(', ')}.`)
  const batch = positiveInt(o.batch, '--batch')
  const threads = positiveInt(o.threads, '--threads')
  const workers = positiveInt(o.workers, '--workers')
  const stride = positiveInt(o.stride, '--stride')
  if (typeof stride === 'string') return fail(EXIT.badArgs, stride)
  if (o.fast && stride !== undefined)
    return fail(EXIT.badArgs, '--fast and --stride both set the windows; give one.')
  if (typeof batch === 'string') return fail(EXIT.badArgs, batch)
  if (typeof threads === 'string') return fail(EXIT.badArgs, threads)
  if (typeof workers === 'string') return fail(EXIT.badArgs, workers)
  if (workers !== undefined && threads !== undefined && workers > threads)
    return fail(
      EXIT.badArgs,
      `--workers ${workers} needs at least as many --threads (each session has one or more).`
    )
  const fillGaps = positiveInt(o.fillGaps, '--fill-gaps')
  if (typeof fillGaps === 'string') return fail(EXIT.badArgs, fillGaps)
  if (fillGaps !== undefined && o.rectify === false)
    return fail(EXIT.badArgs, '--fill-gaps is part of rectification; it cannot go with --no-rectify.')
  const outDir = path.resolve(o.out ?? '.')
  const names = new Map<string, string>()
  for (const v of videos) {
    const n = outputName(v)
    if (names.has(n))
      return fail(
        EXIT.badArgs,
        `${names.get(n)} and ${v} would both write ${n}.csv; track them into different --out folders.`
      )
    names.set(n, v)
  }
  try {
    await mkdir(outDir, { recursive: true })
    if (!(await stat(outDir)).isDirectory()) return fail(EXIT.badArgs, `--out ${outDir} is not a folder.`)
  } catch (e) {
    // A file at the path or on the way to it: the argument is wrong, not the disk (EEXIST from a recursive
    // mkdir means a file is there; ENOTDIR, a file stands where a parent folder should be).
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'EEXIST' || code === 'ENOTDIR')
      return fail(EXIT.badArgs, `--out ${outDir} is not a folder (a file is in the way).`)
    return fail(EXIT.write, `cannot create the output folder ${outDir} (${(e as Error).message}).`)
  }
  let ffmpeg: FfmpegInfo
  try {
    ffmpeg = io.ffmpeg ? await io.ffmpeg() : await locateFfmpeg()
  } catch (e) {
    return fail(EXIT.video, (e as Error).message)
  }
  const cacheDir = io.cacheDir ?? studioCacheDir()
  let model: LoadedModel
  try {
    model = await loadModel(o.model, defaultModelDirs(cacheDir))
  } catch (e) {
    return fail(EXIT.model, `model problem: ${(e as Error).message}`)
  }
  const fp32Id = model.id
  const chosen = await chooseModelPrecision(model, {
    choice: precision,
    provider,
    threads: threads as number | undefined,
    workers: workers as number | undefined,
    batch: batch as number | undefined,
    cacheDir
  })
  model = chosen.model

  let code: number = EXIT.ok
  const rows: string[] = []
  for (const video of videos) {
    const bar =
      io.progress && process.stderr.isTTY
        ? new cliProgress.SingleBar(
            {
              format: `${outputName(video)} [{bar}] {value}/{total} frames | {fps} fps | ETA {eta_formatted}`,
              stream: process.stderr,
              hideCursor: true
            },
            cliProgress.Presets.shades_classic
          )
        : null
    let windows = ''
    try {
      const r = await trackVideo({
        video,
        model,
        ffmpeg,
        cacheDir,
        provider,
        batch: batch as number | undefined,
        threads: threads as number | undefined,
        workers: workers as number | undefined,
        stride: o.fast ? fastStride(model.spec) : (stride as number | undefined),
        noCache: o.cache === false,
        signal: io.signal,
        onStart: (s) => {
          if (s.stride !== model.spec.windowStride)
            windows = `, windows ${s.stride} frames apart (threshold ${s.threshold})`
          bar?.start(s.video.frameCount, s.resumedFrom, { fps: '-' })
        },
        onProgress: (p) => bar?.update(p.done, { fps: p.fps.toFixed(1) })
      })
      bar?.stop()
      const written = await writeTrackOutputs(outDir, video, r.detections, {
        enabled: o.rectify !== false,
        maxGap: fillGaps,
        windowStride: r.stride,
        video: { width: r.video.width, height: r.video.height }
      })
      if (o.overlay) {
        await writeOverlayVideo(
          ffmpeg,
          r.video,
          written.points,
          path.join(outDir, `${outputName(video)}.overlay.mp4`),
          io.signal
        )
      }
      const visible = written.points.filter((p) => p.visible).length
      const fps = r.fromCache
        ? 'cached'
        : `${((r.detections.length - r.resumedFrom) / r.seconds).toFixed(1)} fps`
      const resumed = r.resumedFrom > 0 && !r.fromCache ? `, resumed at frame ${r.resumedFrom}` : ''
      const spaced = r.spacing > 1 ? `, windows read frames ${r.spacing} apart (the model's frame rate)` : ''
      rows.push(
        `${written.csv}: ${r.detections.length} frames, ${visible} with the shuttle, ${fps}, ` +
          `provider ${r.provider ?? '-'}${resumed}${spaced}${windows}`
      )
    } catch (e) {
      bar?.stop()
      const te = e instanceof TrackError ? e : new TrackError('internal', (e as Error).message)
      if (te.kind === 'cancelled') {
        io.err(`shuttle-studio track: interrupted; run the same command again to continue where it stopped.`)
        code = EXIT.interrupted
        break
      }
      io.err(`shuttle-studio track: ${te.kind === 'internal' ? '' : `${te.kind} problem: `}${te.message}`)
      if (te.kind === 'model') {
        code = EXIT.model
        break
      }
      const c = te.kind === 'write' ? EXIT.write : EXIT.video
      if (code === EXIT.ok) code = c
    }
  }
  if (rows.length) io.out(rows.join('\n'))
  io.out(`precision ${chosen.precision} (${chosen.reason})`)
  io.out(
    `model ${fp32Id} (${model.spec.arch}, ${model.spec.framesIn} frames in, ${model.spec.width}×${model.spec.height})`
  )
  return code
}

export function registerTrack(program: Command): void {
  program
    .command('track')
    .description('Track the shuttle in videos: DIR/<video>.csv (rectified) and DIR/<video>.raw.csv')
    .argument('<videos...>', 'video files')
    .option(
      '--model <id|path>',
      'model id (bundled or in the cache folder models/) or an .onnx file',
      'mmfnet-small'
    )
    .option('--out <dir>', 'output folder', '.')
    .option('--overlay', 'also write DIR/<video>.overlay.mp4 with the track drawn')
    .option('--provider <p>', `execution provider: ${PROVIDER_CHOICES.join('|')}`, 'auto')
    .option(
      '--precision <p>',
      `${PRECISION_CHOICES.join('|')}: auto runs the int8 model on the CPU where it measured faster ` +
        '(default: SHUTTLE_PRECISION, else auto)'
    )
    .option('--no-rectify', 'write the raw detections only (no outlier removal or gap filling)')
    .option(
      '--fill-gaps <frames>',
      'fill runs of up to this many undetected frames between two detections from the flight around them ' +
        '(default: 5 where windows lie side by side, as with --fast; none where they overlap, which miss ' +
        'little: the frames left are mostly a shuttle hidden behind a player)'
    )
    .option('--batch <n>', 'windows per model call (default 2)')
    .option('--threads <n>', 'onnxruntime threads in all (default: all cores)')
    .option(
      '--workers <n>',
      'onnxruntime sessions sharing the threads and the batches on the CPU (default 2, 1 on one core)'
    )
    .option(
      '--stride <n>',
      "frames between model windows (default: the model's; 1 averages every frame over all its windows)"
    )
    .option(
      '--fast',
      'each frame seen by one model window instead of averaged over all that hold it: about twice as fast, ' +
        'a point or two of F1 lower (the model card gives both)'
    )
    .option('--no-cache', 'ignore and do not write the result cache')
    .exitOverride((err) => process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.badArgs))
    .action(async (videos: string[], o: TrackOptions) => {
      const ac = new AbortController()
      const onSig = (): void => ac.abort()
      process.once('SIGINT', onSig)
      process.once('SIGTERM', onSig)
      process.exitCode = await runTrack(videos, o, { ...consoleIo, signal: ac.signal })
      process.off('SIGINT', onSig)
      process.off('SIGTERM', onSig)
    })
}
