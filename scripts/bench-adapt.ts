// Runs in plain Node (npx tsx scripts/bench-adapt.ts; `npm run bench:adapt`): the label-efficiency curve of
// adaptation on a camera the bundled model never saw (../shared/data/new-camera). For N labelled frames taken
// from the first half of each clip (N in 50, 100, 200, all) and M minutes of training (2, 5, 10), the bundled
// model is adapted with the Python side (python -m shuttle_training.adapt, as `shuttle-studio adapt` runs it)
// and the adapted model is scored by the app's tracking engine in this process: F1 on the labelled frames of
// each clip's second half, and on ../shared/data/real/val (what it forgets of broadcast footage). The first
// row is the bundled model itself. Prints one markdown table on stdout; progress on stderr.
// The whole grid takes hours; run one cell with --n 50 --minutes 2. Options: --n LIST, --minutes LIST (comma
// lists; n may be "all"), --threads T (PyTorch and onnxruntime; default 2), --no-val, --no-base (skip the
// bundled model's row), --data DIR, --val DIR, --base MODEL.pt, --reuse (score a cell's model from an earlier
// run instead of training it again), --labels opencv|as-is (default opencv: the new-camera labels were numbered
// by OpenCV's seek, so they are first moved onto the pictures they were drawn on, as `shuttle-studio renumber`
// does; as-is scores the files as they are, as rounds 1-3 of training/RESULTS.md did), --seeds LIST (one cell
// per seed of the training run; default 0), --py-arg ARG (repeatable: passed on to the Python side as it is,
// for recipe experiments such as --py-arg --lr --py-arg 3e-4; such cells get their own folders). Models,
// manifests and caches go to .tmp/bench-adapt/<labels>/.
import { existsSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { writeManifestFile } from '../src/backend/adapt/adapt-manifest'
import { readRootTruth } from '../src/backend/adapt/adapt-truth'
import { renumberRoot } from '../src/backend/dataset/renumber-root'
import { runAdapt } from '../src/backend/adapt/run-adapt'
import { locateFfmpeg } from '../src/backend/ffmpeg/locate'
import { loadModel } from '../src/backend/tracking'
import { findTorchPython } from '../src/backend/training/python'
import { defaultTrainingPackageDir } from '../src/backend/training/training-service'
import {
  asPoints,
  halvesManifest,
  heldFramesOf,
  secondHalfPoints,
  trainFramesOf,
  type LabelBudget
} from './support/bench-adapt-data'
import { pct, trackF1, valClips, type F1Result, type ScoredClip } from './support/bench-adapt-f1'

const ROOT = path.resolve(__dirname, '..')
const DIR = path.join(ROOT, '.tmp', 'bench-adapt')

interface Args {
  n: LabelBudget[]
  minutes: number[]
  threads: number
  val: string | null
  data: string
  base: string
  withBase: boolean
  reuse: boolean
  labels: 'opencv' | 'as-is'
  seeds: number[]
  /** Options passed on to the Python side as they are (recipe experiments: --lr 3e-4, --ema 0). */
  pyArgs: string[]
}

function seedOf(x: string): number {
  const n = Number(x)
  if (!Number.isInteger(n) || n < 0) throw new Error(`--seeds takes whole numbers from 0, not "${x}"`)
  return n
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    n: [50, 100, 200, 'all'],
    minutes: [2, 5, 10],
    threads: 2,
    val: path.resolve(ROOT, '..', 'shared', 'data', 'real', 'val'),
    data: path.resolve(ROOT, '..', 'shared', 'data', 'new-camera'),
    base: path.join(ROOT, 'resources', 'models', 'mmfnet-small.pt'),
    withBase: true,
    reuse: false,
    labels: 'opencv',
    seeds: [0],
    pyArgs: []
  }
  const list = (v: string, name: string): number[] =>
    v.split(',').map((x) => {
      const n = Number(x)
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} takes numbers above 0, not "${x}"`)
      return n
    })
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!
    const v = (): string => {
      const x = argv[++i]
      if (x === undefined) throw new Error(`${k} needs a value`)
      return x
    }
    if (k === '--n')
      a.n = v()
        .split(',')
        .map((x) => (x === 'all' ? 'all' : list(x, '--n')[0]!))
    else if (k === '--minutes') a.minutes = list(v(), '--minutes')
    else if (k === '--threads') a.threads = list(v(), '--threads')[0]!
    else if (k === '--no-val') a.val = null
    else if (k === '--no-base') a.withBase = false
    else if (k === '--reuse') a.reuse = true
    else if (k === '--seeds')
      a.seeds = v()
        .split(',')
        .map((x) => seedOf(x))
    else if (k === '--py-arg') a.pyArgs.push(v())
    else if (k === '--data') a.data = path.resolve(v())
    else if (k === '--val') a.val = path.resolve(v())
    else if (k === '--base') a.base = path.resolve(v())
    else if (k === '--labels') {
      const l = v()
      if (l !== 'opencv' && l !== 'as-is') throw new Error(`--labels takes opencv or as-is, not "${l}"`)
      a.labels = l
    } else throw new Error(`unknown option ${k}`)
  }
  return a
}

interface Row {
  name: string
  trainFrames: string
  minutes: string
  pyBefore: number | null
  pyAfter: number | null
  pyNote: string
  half: F1Result
  val: F1Result | null
  wall: string
}

const log = (t: string): void => console.error(`bench-adapt: ${t}`)
const load = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2))
  if (!existsSync(a.data)) {
    console.log(
      `bench:adapt skipped: ${a.data} is not there (the new-camera clips live beside the repository).`
    )
    return
  }
  const python = await findTorchPython()
  if ('problem' in python) throw new Error(python.problem)
  if (!existsSync(a.base)) throw new Error(`the base checkpoint ${a.base} is not there`)
  const ffmpeg = await locateFfmpeg()
  const cacheDir = path.join(DIR, 'cache')
  await mkdir(cacheDir, { recursive: true })
  const cells = path.join(DIR, a.labels)
  let data = a.data
  if (a.labels === 'opencv') {
    data = path.join(cells, 'labels')
    await rm(data, { recursive: true, force: true })
    const r = await renumberRoot(a.data, data, ffmpeg.ffprobePath)
    for (const c of r.clips) {
      log(
        `${c.name}: ${c.moved} of ${c.labels} labels moved onto the pictures OpenCV showed (max ${c.maxShift})`
      )
    }
    for (const p of r.problems) log(`warning: ${p}`)
  }
  const truth = await readRootTruth(data, ffmpeg.ffprobePath)
  for (const s of truth.skipped) log(`warning: ${s.reason}`)
  const halves: ScoredClip[] = truth.clips.map((c) => ({
    video: c.video,
    labels: secondHalfPoints(c),
    restFrom: asPoints(c.rows)
  }))
  const val = a.val ? valClips(a.val) : null
  if (a.val && !val) log(`val F1 skipped: ${a.val} is not there`)
  const loadAtStart = load()
  const rows: Row[] = []

  const score = async (onnx: string): Promise<{ half: F1Result; val: F1Result | null }> => {
    const model = await loadModel(onnx, { bundled: null, user: null })
    log(`${path.relative(ROOT, onnx)}: tracking the second halves…`)
    const half = await trackF1(model, ffmpeg, halves, cacheDir, a.threads)
    log(`second halves F1 ${pct(half.raw)} raw / ${pct(half.rectified)} rectified`)
    if (!val) return { half, val: null }
    log('tracking the real val set…')
    return { half, val: await trackF1(model, ffmpeg, val, cacheDir, a.threads) }
  }

  if (a.withBase) {
    const onnx = a.base.replace(/\.pt$/, '.onnx')
    const s = await score(onnx)
    rows.push({
      name: 'bundled (zero-shot)',
      trainFrames: '0',
      minutes: '0',
      pyBefore: null,
      pyAfter: null,
      pyNote: '',
      ...s,
      wall: '-'
    })
  }
  // Cells of a recipe experiment keep their own folders beside the default recipe's.
  const recipeTag = a.pyArgs.length ? `-${a.pyArgs.join('').replace(/[^\w.]+/g, '')}` : ''
  for (const n of a.n) {
    for (const minutes of a.minutes)
      for (const seed of a.seeds) {
        const cell = path.join(cells, `n${n}-m${minutes}${seed ? `-s${seed}` : ''}${recipeTag}`)
        const manifest = halvesManifest(truth, n)
        const out = path.join(cell, 'adapted.onnx')
        let pyBefore: number | null = null
        let pyAfter: number | null = null
        let pyNote = ''
        let wall = 'reused'
        if (!(a.reuse && existsSync(out))) {
          const file = await writeManifestFile(cell, manifest)
          log(
            `N=${n}, ${minutes} min, seed ${seed}: adapting on ${trainFramesOf(manifest)} frames, ` +
              `${heldFramesOf(manifest)} held back (load ${load()})…`
          )
          const t0 = performance.now()
          const r = await runAdapt({
            python: python.path,
            packageDir: defaultTrainingPackageDir(),
            manifest: file,
            base: a.base,
            minutes,
            out,
            runDir: path.join(cell, 'run'),
            threads: a.threads,
            seed,
            extraArgs: a.pyArgs,
            onEvent: (e) => {
              if (e.event === 'baseline') pyBefore = e.f1
              if (e.event === 'eval')
                log(`  step ${e.step}, ${Math.round(e.elapsed_s)} s: held-back F1 ${pct(e.f1)}`)
              if (e.event === 'exported') {
                pyAfter = e.f1
                // The Python side keeps the base model when no step beat it, and may score a part of the held-back
                // frames when the budget cannot afford all of them: say so beside its figures.
                const x = e as { kept_base?: boolean; heldback_frames?: number }
                pyNote = [x.kept_base ? 'base kept' : '', x.heldback_frames ? `${x.heldback_frames} fr` : '']
                  .filter(Boolean)
                  .join(', ')
              }
              if (e.event === 'error') log(`  error: ${e.message}`)
            }
          })
          wall = `${((performance.now() - t0) / 60_000).toFixed(1)} min`
          if (r.code !== 0 || !existsSync(out))
            throw new Error(`adapt exited with ${r.code}: ${r.stderrTail}`)
        }
        const s = await score(out)
        rows.push({
          name: `N=${n}${a.seeds.length > 1 || seed ? ` seed ${seed}` : ''}${a.pyArgs.length ? ` ${a.pyArgs.join(' ')}` : ''}`,
          trainFrames: `${trainFramesOf(manifest)} + ${heldFramesOf(manifest)}`,
          minutes: String(minutes),
          pyBefore,
          pyAfter,
          pyNote,
          ...s,
          wall
        })
      }
  }
  printTable(a, rows, truth.clips.length, python.torch, loadAtStart)
}

function printTable(a: Args, rows: Row[], clips: number, torch: string, loadAtStart: string): void {
  const lines = [
    '| model | labelled frames: train + held back | minutes | held-back F1 before → after (Python) | 2nd halves F1 raw / rect | 2nd halves rect, lying shuttle left out (frames) | val F1 raw / rect | adapt wall time |',
    '|---|---|---|---|---|---|---|---|'
  ]
  for (const r of rows) {
    const note = r.pyNote ? ` (${r.pyNote})` : ''
    const py =
      r.pyAfter === null && r.pyBefore === null ? '-' : `${pct(r.pyBefore)} → ${pct(r.pyAfter)}${note}`
    const val = r.val ? `${pct(r.val.raw)} / ${pct(r.val.rectified)}` : '-'
    lines.push(
      `| ${r.name} | ${r.trainFrames} | ${r.minutes} | ${py} | ${pct(r.half.raw)} / ${pct(r.half.rectified)} | ` +
        `${r.half.lying ? `${pct(r.half.lying.rectified)} (${r.half.lying.left})` : '-'} | ${val} | ${r.wall} |`
    )
  }
  const half = rows[0]?.half
  console.log(lines.join('\n'))
  console.log(
    `\nF1 in %, TrackNet metrics (τ 4 px at 512×288, scaled to the video), tracked by the app's engine in this ` +
      `process (CPU, fp32). 2nd halves: the labelled frames of the second half of each of the ${clips} ` +
      `new-camera clips (${half?.frames ?? '?'} frames), never trained on; train frames come from the first ` +
      `halves, evenly, and the last quarter of each clip's by time is held back (early stopping, threshold). val: ../shared/data/real/val${rows[0]?.val ? ` (${rows[0].val.frames} frames)` : ' (skipped)'}. ` +
      `Python's held-back F1 is the adaptation's own measure on its held-back first-half frames. ` +
      `"Lying shuttle left out": an analysis, not the score — the labels call a landed shuttle visible for its ` +
      `first frames of rest, then not visible though it still lies there; frames labelled not visible where the ` +
      `rectified track is within tolerance of such a place are left out (their count in brackets). ` +
      (a.labels === 'opencv'
        ? 'Labels moved onto the pictures they were drawn on (they were numbered by OpenCV seeking). '
        : 'Labels scored as the files number them. ') +
      `${os.availableParallelism()} cores, ${a.threads} threads, torch ${torch}, load average ${loadAtStart} at the start, ${load()} at the end.`
  )
}

main().catch((e) => {
  console.error(`bench-adapt: ${(e as Error).message}`)
  process.exit(1)
})
