// Runs in plain Node (npx tsx scripts/bench-track.ts; `npm run bench:track`): measures the tracking engine on
// this machine and prints a markdown table:
//   - end-to-end fps (from the model loaded to the last frame: background frame, decode ‖ preprocess ‖
//     inference ‖ heatmap decoding; no result cache) and pipeline fps (the same without the background pass)
//     on 720p and 1080p testsrc2 clips, model-only fps (the same model in a tight loop, same batch, same
//     worker), their ratio (target >= 0.9), the seconds before the first window (the background pass) and the
//     peak RSS of this process (the inference worker included; ffmpeg is a separate process and is not), and
//     the CPU milliseconds a frame end to end (every thread and ffmpeg) against model only's: the pipeline's
//     own work, in CPU rather than wall time;
//     medians of --repeats alternating end-to-end and model-only runs (default 3), each ratio within its pair;
//   - F1 on the real val set (TrackNet metrics of src/shared/metrics, τ 4 px at 512×288), when it is there;
//   - model-only fps of the model's int8 sibling (<stem>.int8.onnx) against fp32, back to back on the CPU, and
//     its val F1;
//   - model-only fps of a TrackNetV3-size network (training package "tracknetv3", random weights) at the same
//     input size, for scale;
//   - the whole process: `shuttle-studio track --no-cache` on a 2,000-frame 720p clip, spawn to exit, against the
//     TrackNetV3-size network's model-only fps (target >= 3x; needs `npm run build`).
// The default model is resources/models/mmfnet-small.onnx; until it exists, an mmfnet-small with RANDOM
// weights (3 frames + background) is exported with the training package into .tmp/bench-track/ (then F1 is
// meaningless and the table says so).
// Options: --model M (id or .onnx), --val DIR (default ../shared/data/real/val), --frames N[,N…] (clip
// lengths, each a 720p and a 1080p row; default 300,2000: a rally, where the background pass before the
// first window weighs most, and a minute of play), --batch N (default 2), --provider P, --spin 0|1
// (onnxruntime's idle threads spin; default 0), --decoder-threads N (ffmpeg's, while tracking), --workers N
// (onnxruntime sessions sharing the cores, default the tracker's: inference-pool.ts), --repeats N
// (runs per row, default 3), --speed-only (no val F1, no TrackNetV3 row), --fast (every row with the windows
// side by side, as `track --fast`; no int8 row), --long [--minutes 30] [--synth]: tracks one long video and
// prints RSS over time, to show memory does not grow with the video's length — a 360p test pattern, or with
// --synth the generator's 1080p60 broadcast (the stress input, rendered on demand into .tmp/, never committed).
import { existsSync, readdirSync } from 'node:fs'
import { mkdir, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { locateFfmpeg, type FfmpegInfo } from '../src/backend/ffmpeg/locate'
import { readFramesScaled } from '../src/backend/video'
import { letterbox } from '../src/shared/heatmap'
import {
  defaultDecoderThreads,
  defaultModelDirs,
  loadModel,
  rectifyTrack,
  trackVideo,
  tracksDir,
  type LoadedModel
} from '../src/backend/tracking'
import { fastStride, thresholdAt } from '../src/backend/tracking/model-spec'
import { readLabelCsv } from '../src/shared/labels/read'
import { median } from '../src/shared/median'
import type { LabelPoint } from '../src/shared/labels/types'
import { evaluateTrack, summarise, toleranceFor, type TrackEvaluation } from '../src/shared/metrics'
import { DIR, parseArgs, ROOT, type Args } from './support/bench-args'
import { compareInt8 } from './support/bench-int8'
import { wholeProcessTrack } from './support/bench-whole-process'
import { longRun } from './support/bench-long-run'
import { benchTrackOptions, f1, makeClip, mib, PeakRss, run } from './support/bench-measure'
import { cpuMark, cpuSince } from './support/bench-cpu'
import { modelOnlyFps } from './support/bench-model-fps'
import { printReport } from './support/bench-table'
import { findTorchPython } from '../src/backend/training/python'

const EXPORT = path.join(ROOT, 'tests', 'fixtures', 'models', 'export_random.py')

/** Exports a network with random weights through the training package, with the Python the app would use. */
async function exportRandom(arch: string, out: string, extra: string[]): Promise<string> {
  if (existsSync(out)) return out
  const py = await findTorchPython()
  if ('problem' in py) throw new Error(py.problem)
  await run(py.path, [EXPORT, arch, out, ...extra], { cwd: ROOT, timeout: 600_000 })
  return out
}

async function defaultModel(a: Args, cacheDir: string): Promise<{ model: LoadedModel; note: string }> {
  if (a.model) return { model: await loadModel(a.model, defaultModelDirs(cacheDir)), note: a.model }
  const bundled = path.join(ROOT, 'resources', 'models', 'mmfnet-small.onnx')
  if (existsSync(bundled))
    return {
      model: await loadModel(bundled, { bundled: null, user: null }),
      note: 'resources/models/mmfnet-small.onnx'
    }
  const file = await exportRandom('mmfnet-small', path.join(DIR, 'mmfnet-small-random.onnx'), [
    '--frames',
    '3',
    '--background'
  ])
  return {
    model: await loadModel(file, { bundled: null, user: null }),
    note: 'mmfnet-small with RANDOM weights (3 frames + background; resources/models/mmfnet-small.onnx not there yet)'
  }
}

/**
 * The model as `track --fast` runs it: windows frames_in apart, decoded at the threshold the model carries for
 * that stride. Every row then measures fast mode through the same code as the default one.
 */
function fastWindows(model: LoadedModel): LoadedModel {
  const s = model.spec
  const stride = fastStride(s)
  return { ...model, spec: { ...s, windowStride: stride, threshold: thresholdAt(s, stride) } }
}

/** Frames per second ffmpeg alone delivers, scaled to the model's picture, with the pipeline's decoder threads. */
async function decodeOnlyFps(
  model: LoadedModel,
  ffmpeg: FfmpegInfo,
  video: string,
  a: Args,
  cacheDir: string
) {
  const threads = a.decoderThreads ?? defaultDecoderThreads()
  const probe = await run(ffmpeg.ffprobePath, [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=width,height',
    '-of',
    'csv=p=0',
    video
  ])
  const [vw, vh] = probe.stdout.trim().split(',').map(Number) as [number, number]
  const lb = letterbox({ width: vw, height: vh }, { width: model.spec.width, height: model.spec.height })
  const opts = { width: lb.scaledWidth, height: lb.scaledHeight, decoderThreads: threads }
  const indexCacheDir = path.join(cacheDir, 'video-index')
  const t0 = performance.now()
  let n = 0
  for await (const f of readFramesScaled(ffmpeg, video, { ...opts, indexCacheDir })) n += f.frame >= 0 ? 1 : 0
  return { fps: n / ((performance.now() - t0) / 1000), threads }
}

async function endToEnd(model: LoadedModel, ffmpeg: FfmpegInfo, video: string, a: Args, cacheDir: string) {
  let tStart = 0
  // A first run for this video: no cached background frame, no partial result (the frame index stays, as the
  // viewer has made it by the time a user tracks).
  await rm(tracksDir(cacheDir), { recursive: true, force: true })
  const rss = new PeakRss()
  rss.start()
  let cpu0 = cpuMark()
  const r = await trackVideo({
    ...benchTrackOptions(model, ffmpeg, video, a, cacheDir),
    onStart: () => {
      tStart = performance.now()
      cpu0 = cpuMark()
    }
  })
  const secs = (performance.now() - tStart) / 1000
  // ffmpeg's CPU counts once it has been waited for: its exit may come a moment after the last frame.
  await new Promise((resolve) => setTimeout(resolve, 200))
  const cpu = cpuSince(cpu0)
  return {
    /** CPU milliseconds a frame, every thread and ffmpeg (null where the children's CPU is unknown). */
    cpuMs: cpu.children === null ? null : ((cpu.self + cpu.children) * 1000) / r.detections.length,
    fps: r.detections.length / secs,
    pipelineFps: r.detections.length / r.pipelineSeconds,
    /** The background pass (and the cached background's write): seconds before the first window runs. */
    beforeFirstWindow: secs - r.pipelineSeconds,
    peak: rss.stop(),
    provider: r.provider ?? '-',
    frames: r.detections.length
  }
}

async function valF1(model: LoadedModel, ffmpeg: FfmpegInfo, a: Args, cacheDir: string): Promise<string> {
  if (!existsSync(a.val))
    return `skipped: ${a.val} is not there (the real val set lives beside the repository)`
  const raw: TrackEvaluation[] = []
  const rect: TrackEvaluation[] = []
  let frames = 0
  for (const match of readdirSync(a.val).sort()) {
    const vdir = path.join(a.val, match, 'video')
    if (!existsSync(vdir)) continue
    for (const v of readdirSync(vdir).sort()) {
      if (!v.endsWith('.mp4')) continue
      const labelsFile = path.join(a.val, match, 'csv', `${path.basename(v, '.mp4')}_ball.csv`)
      if (!existsSync(labelsFile)) continue
      const r = await trackVideo({
        video: path.join(vdir, v),
        model,
        ffmpeg,
        cacheDir,
        provider: a.provider,
        batch: a.batch
      })
      const size = { width: r.video.width, height: r.video.height }
      const labels = readLabelCsv(await readFile(labelsFile, 'utf8'), { video: size }).points
      const tol = toleranceFor(size)
      const asLabels = (
        ps: readonly { frame: number; visible: boolean; x: number; y: number }[]
      ): LabelPoint[] => ps.map((p) => ({ frame: p.frame, visible: p.visible, x: p.x, y: p.y }))
      raw.push(evaluateTrack(asLabels(r.detections), labels, tol))
      rect.push(
        evaluateTrack(
          asLabels(rectifyTrack(r.detections, { video: size, windowStride: r.stride })),
          labels,
          tol
        )
      )
      frames += r.detections.length
    }
  }
  if (!raw.length) return `skipped: no <match>/video/<clip>.mp4 with labels under ${a.val}`
  const s = summarise(raw)
  const t = summarise(rect)
  return `F1 ${(s.F1 * 100).toFixed(1)} raw / ${(t.F1 * 100).toFixed(1)} rectified (precision ${(s.precision * 100).toFixed(1)}, recall ${(s.recall * 100).toFixed(1)}; ${raw.length} clips, ${frames} frames)`
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2))
  await mkdir(DIR, { recursive: true })
  const ffmpeg = await locateFfmpeg()
  const cacheDir = path.join(DIR, 'cache')
  const loaded = await defaultModel(a, cacheDir)
  const note = a.fast ? `${loaded.note}, fast (windows side by side, as track --fast)` : loaded.note
  const model = a.fast ? fastWindows(loaded.model) : loaded.model
  if (a.long) return longRun(model, ffmpeg, a, cacheDir)

  console.error(`model: ${note}`)
  const rows: string[] = []
  let provider = '-'
  const clips = a.frames.flatMap((frames) =>
    [
      [1280, 720],
      [1920, 1080]
    ].map(([w, h]) => ({ w: w as number, h: h as number, frames }))
  )
  for (const { w, h, frames } of clips) {
    const clip = await makeClip(ffmpeg, w, h, frames, `testsrc2-${h}p30-${frames}f.mp4`)
    // End to end and model only alternate, so a drift of the machine's speed reaches both; each ratio is taken
    // within its pair and the row gives medians.
    const e2es: Awaited<ReturnType<typeof endToEnd>>[] = []
    const onlys: Awaited<ReturnType<typeof modelOnlyFps>>[] = []
    for (let i = 0; i < a.repeats; i++) {
      console.error(`${h}p, ${frames} frames: end to end (${i + 1} of ${a.repeats})…`)
      e2es.push(await endToEnd(model, ffmpeg, clip, a, cacheDir))
      console.error(`${h}p, ${frames} frames: model only (${i + 1} of ${a.repeats})…`)
      onlys.push(await modelOnlyFps(model, a.batch, a.provider, a.spin, { workers: a.workers }))
    }
    // The pool's provider note says how many sessions shared the CPU (inference-pool.ts providerNote).
    const only = { fps: median(onlys.map((o) => o.fps)), provider: onlys[0]!.provider }
    const e2e = {
      fps: median(e2es.map((e) => e.fps)),
      pipelineFps: median(e2es.map((e) => e.pipelineFps)),
      beforeFirstWindow: median(e2es.map((e) => e.beforeFirstWindow)),
      peak: Math.max(...e2es.map((e) => e.peak)),
      frames: e2es[0]!.frames
    }
    const ratio = median(e2es.map((e, i) => e.fps / onlys[i]!.fps))
    const pipelineRatio = median(e2es.map((e, i) => e.pipelineFps / onlys[i]!.fps))
    const e2eCpu = e2es.every((e) => e.cpuMs !== null) ? median(e2es.map((e) => e.cpuMs as number)) : null
    const cpu =
      e2eCpu === null ? 'n/a' : `${e2eCpu.toFixed(1)} / ${median(onlys.map((o) => o.cpuMs)).toFixed(1)}`
    console.error(`${h}p, ${frames} frames: decode only…`)
    const dec = await decodeOnlyFps(model, ffmpeg, clip, a, cacheDir)
    provider = only.provider
    // If the model keeps every core busy, decoding one frame costs cores/decodeFps of the model's time:
    // the best a CPU-bound pipeline can do is model-only fps / (1 + modelFps / (cores · decodeFps)).
    const cores = os.availableParallelism()
    const bound = 1 / (1 + (only.fps * Math.min(dec.threads, cores)) / (cores * dec.fps))
    rows.push(
      `| ${h}p (${e2e.frames} frames) | ${f1(e2e.fps)} | ${f1(e2e.pipelineFps)} | ${f1(only.fps)} | ` +
        `${ratio.toFixed(2)} | ${pipelineRatio.toFixed(2)} | ${e2e.beforeFirstWindow.toFixed(2)} s | ` +
        `${cpu} | ${f1(dec.fps)} (${dec.threads} thr) | ${bound.toFixed(2)} | ${mib(e2e.peak)} |`
    )
  }
  console.error('val F1…')
  const val = a.speedOnly ? 'skipped (--speed-only)' : await valF1(model, ffmpeg, a, cacheDir)
  console.error('TrackNetV3-size network…')
  let v3 = 'skipped (--speed-only)'
  let v3Fps: number | null = null
  if (!a.speedOnly)
    try {
      const file = await exportRandom('tracknetv3', path.join(DIR, 'tracknetv3-random.onnx'), [])
      const m = await loadModel(file, { bundled: null, user: null })
      const r = await modelOnlyFps(m, 1, a.provider, a.spin, { seconds: 10, workers: a.workers })
      v3Fps = r.fps
      v3 = `${f1(r.fps)} fps model-only (8 frames + background per forward, batch 1, ${m.spec.width}×${m.spec.height})`
    } catch (e) {
      v3 = `skipped: cannot export it (${(e as Error).message.split('\n')[0]})`
    }

  console.error('int8 sibling…')
  const int8Row = a.fast
    ? 'skipped (--fast)'
    : await compareInt8(model, a, (m) => valF1(m, ffmpeg, a, cacheDir))
  console.error('whole process: track on a long 720p clip…')
  const whole = a.speedOnly
    ? null
    : await wholeProcessTrack(ffmpeg, model.path, 2000, path.join(DIR, 'whole'), [
        ...(a.fast ? ['--fast'] : []),
        ...(a.workers ? ['--workers', String(a.workers)] : [])
      ])
  printReport(a, { model, note, provider, rows, val, v3, int8Row })
  if (typeof whole === 'string')
    console.log(`\nWhole process (\`shuttle-studio track\` on a long 720p clip): ${whole}`)
  else if (whole) {
    const vs = v3Fps
      ? `, ${(whole.fps / v3Fps).toFixed(2)}× the TrackNetV3-size network's model-only (target ≥ 3×)`
      : ''
    console.log(
      `\nWhole process: \`shuttle-studio track --no-cache\` on a ${whole.frames}-frame 720p clip, spawn to exit: ` +
        `${whole.seconds.toFixed(1)} s, **${f1(whole.fps)} frames/s**${vs}. ${whole.ran}`
    )
  }
}

main().catch((e) => {
  console.error(`bench-track: ${(e as Error).message}`)
  process.exit(1)
})
