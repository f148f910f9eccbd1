// Runs in plain Node (the command line): the training part of `shuttle-studio adapt` — runs the Python side,
// shows progress against the time budget (a bar on a terminal, a line per evaluation elsewhere), and checks
// that what it says it wrote is there whole (MODEL.onnx readable as a tracker model, MODEL.pt beside it).
import { existsSync } from 'node:fs'
import cliProgress from 'cli-progress'
import type { AdaptEvent } from '../../backend/adapt/adapt-events'
import { runAdapt, type RunAdaptOptions } from '../../backend/adapt/run-adapt'
import { specFromMetadata } from '../../backend/tracking/model-spec'
import { readOnnxMetadata } from '../../backend/tracking/onnx-metadata'
import { percent } from './adapt-report'

type Exported = Extract<AdaptEvent, { event: 'exported' }>

export interface AdaptRunIo {
  out: (text: string) => void
  err: (text: string) => void
  progress?: boolean
  signal?: AbortSignal
}

/** Exit codes the Python side uses that mean the same here (bad data, base model, video, write). */
const PASSED_ON = new Set([2, 3, 4, 5])

export async function runAdaptProcess(o: Omit<RunAdaptOptions, 'onEvent'>, io: AdaptRunIo): Promise<number> {
  const fail = (code: number, msg: string): number => {
    io.err(`shuttle-studio adapt: ${msg}`)
    return code
  }
  const bar =
    io.progress && process.stderr.isTTY
      ? new cliProgress.SingleBar(
          {
            format:
              'adapt [{bar}] {value}/{total} s | step {step} | loss {loss} | best F1 {f1} (base {before})',
            stream: process.stderr,
            hideCursor: true
          },
          cliProgress.Presets.shades_classic
        )
      : null
  let exported: Exported | null = null
  let error: string | null = null
  let before: number | null = null
  let best: number | null = null
  const onEvent = (e: AdaptEvent): void => {
    if (e.event === 'start') {
      const line = `training on ${e.train_frames} frames, measuring on ${e.held_frames}, ${Math.round(e.budget_s)} s`
      if (bar) bar.start(Math.round(e.budget_s), 0, { step: 0, loss: '-', f1: '-', before: '-' })
      else io.err(line)
    } else if (e.event === 'baseline') {
      before = e.f1
      if (!bar) io.err(`held-back F1 of the base model: ${percent(e.f1)}`)
    } else if (e.event === 'step') {
      bar?.update(Math.min(Math.round(e.elapsed_s), bar.getTotal()), {
        step: e.step,
        loss: e.loss.toFixed(4)
      })
    } else if (e.event === 'eval') {
      best = e.best_f1
      if (bar) bar.update(Math.min(Math.round(e.elapsed_s), bar.getTotal()), { f1: percent(best) })
      else
        io.err(
          `step ${e.step}, ${Math.round(e.elapsed_s)} s: held-back F1 ${percent(e.f1)} (best ${percent(best)})`
        )
    } else if (e.event === 'exported') exported = e
    else if (e.event === 'error') error = e.message
    else if (e.event === 'warning') io.err(`warning: ${e.file ? `${e.file}: ` : ''}${e.message}`)
    if (bar && e.event !== 'start') bar.update({ before: percent(before), f1: percent(best) })
  }
  let r
  try {
    r = await runAdapt({ ...o, onEvent, onText: (t) => (bar ? undefined : io.err(t)) })
  } catch (e) {
    bar?.stop()
    return fail(EXIT_NO_PYTHON, (e as Error).message)
  }
  bar?.stop()
  const done = exported as Exported | null
  if (r.code !== 0 || !done) {
    if (io.signal?.aborted) return fail(130, 'interrupted before a model could be written.')
    if (error && PASSED_ON.has(r.code)) return fail(r.code, error)
    const why = error ?? (r.stderrTail || `the training exited with code ${r.code}`)
    return fail(1, `${why}\nRun the same command with --resume to continue from the last checkpoint.`)
  }
  const pt = o.out.replace(/\.onnx$/i, '.pt')
  let threshold: number
  try {
    threshold = specFromMetadata(await readOnnxMetadata(o.out)).threshold
  } catch (e) {
    return fail(5, `${o.out} is not a usable model after the run (${(e as Error).message}).`)
  }
  if (!existsSync(pt)) return fail(5, `${pt} (the checkpoint to adapt it again) was not written.`)
  // The threshold was chosen on the held-back rows: said, since it changes what the tracker reports.
  io.out(
    `${o.out}: held-back F1 ${percent(done.f1)} (base model ${percent(done.f1_before)}) at detection ` +
      `threshold ${threshold}; its checkpoint ${pt}`
  )
  if (done.stopped) {
    io.err('stopped early: the best model so far was written.')
    return 130
  }
  return 0
}

/** Python could not be started at all: what a missing Python is (exit 2, as documented). */
const EXIT_NO_PYTHON = 2
