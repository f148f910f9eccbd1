// Runs in plain Node (the command line): `shuttle-studio eval --pred DIR --gt ROOT` — scores a tracker's
// prediction CSVs against a TrackNet-layout root with the TrackNet metrics (docs/ARCHITECTURE.md "Metrics"),
// per clip, per match and overall, as a table or as one JSON object for scripts.
// Exit codes: 0 every clip scored, 1 evaluation problems (listed at the end: among them a clip whose labels put
// the shuttle off the picture or hold rows that cannot be read, named as file:line), 2 bad arguments.
import { stat } from 'node:fs/promises'
import type { Command } from 'commander'
import { locateFfmpeg } from '../../backend/ffmpeg/locate'
import { evaluateRoot, type RootEvaluation } from '../../backend/dataset/evaluate-root'
import { formatMetricsTable, type TableRow } from '../../shared/metrics/table'
import { TRACKNET_TOLERANCE_PX, type ToleranceMode } from '../../shared/metrics/tolerance'

export const EXIT_OK = 0
export const EXIT_PROBLEMS = 1
export const EXIT_BAD_ARGS = 2

export interface EvalOptions {
  pred?: string
  gt?: string
  json?: boolean
  strict?: boolean
  tolerance?: string
  missingAsInvisible?: boolean
}

export interface EvalIo {
  /** Standard output: the table, or the one JSON object. */
  out: (text: string) => void
  /** Standard error: warnings, errors and argument problems in table mode. */
  err: (text: string) => void
  /** Where ffprobe is; tests and the app can pass their own. Default: locateFfmpeg(). */
  ffprobe?: () => Promise<string>
}

const consoleIo: EvalIo = { out: (t) => console.log(t), err: (t) => console.error(t) }

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory()
  } catch {
    return false
  }
}

/** Checks the arguments; a message for the first bad one, or the settled options. */
async function checkArgs(
  o: EvalOptions
): Promise<string | { pred: string; gt: string; px: number; mode: ToleranceMode }> {
  if (!o.pred) return 'missing --pred DIR: the folder of prediction CSVs (<clip>.csv) to score.'
  if (!o.gt)
    return 'missing --gt ROOT: the TrackNet-layout folder (<match>/video, <match>/csv) with the labels.'
  let px = TRACKNET_TOLERANCE_PX
  if (o.tolerance !== undefined) {
    px = Number(o.tolerance)
    if (o.tolerance.trim() === '' || !Number.isFinite(px) || px <= 0) {
      return `--tolerance must be a positive number of pixels, not "${o.tolerance}".`
    }
  }
  if (!(await isDir(o.pred))) return `--pred ${o.pred} is not a folder.`
  if (!(await isDir(o.gt))) return `--gt ${o.gt} is not a folder.`
  return { pred: o.pred, gt: o.gt, px, mode: o.strict ? 'strict' : 'tracknet' }
}

/** The whole command, without commander or process.exit: returns the exit code. */
export async function runEval(o: EvalOptions, io: EvalIo = consoleIo): Promise<number> {
  const args = await checkArgs(o)
  if (typeof args === 'string') {
    if (o.json) io.out(JSON.stringify({ ok: false, error: args }))
    else io.err(`shuttle-studio eval: ${args}`)
    return EXIT_BAD_ARGS
  }
  let ffprobe: string
  try {
    ffprobe = io.ffprobe ? await io.ffprobe() : (await locateFfmpeg()).ffprobePath
  } catch (e) {
    const message = `the videos' sizes are needed for the tolerance: ${(e as Error).message}`
    if (o.json) io.out(JSON.stringify({ ok: false, error: message }))
    else io.err(`shuttle-studio eval: ${message}`)
    return EXIT_PROBLEMS
  }
  const r = await evaluateRoot({
    predDir: args.pred,
    gtRoot: args.gt,
    mode: args.mode,
    px: args.px,
    missingAsInvisible: o.missingAsInvisible ?? false,
    ffprobe
  })
  const ok = r.errors.length === 0 && r.overall !== null
  if (o.json) io.out(JSON.stringify(toJson(r, args.mode, args.px, ok), null, 2))
  else printText(r, args.mode, args.px, io)
  return ok ? EXIT_OK : EXIT_PROBLEMS
}

function toJson(r: RootEvaluation, mode: ToleranceMode, px: number, ok: boolean): object {
  const o = r.overall
  return {
    ok,
    // The overall figures at the top, for scripts that want one number (null when nothing could be scored).
    F1: o ? o.F1 : null,
    precision: o ? o.precision : null,
    recall: o ? o.recall : null,
    accuracy: o ? o.accuracy : null,
    tolerance: { mode, px, within: 'distance <= tolerance' },
    overall: o,
    matches: r.matches,
    clips: r.clips,
    warnings: r.warnings,
    errors: r.errors
  }
}

function printText(r: RootEvaluation, mode: ToleranceMode, px: number, io: EvalIo): void {
  const ref = mode === 'strict' ? "at the video's own resolution" : 'at 512×288, scaled to each video'
  if (r.overall) {
    const clips: TableRow[] = r.clips.map((c) => ({
      name: `${c.match}/${c.clip}`,
      summary: c,
      tolerance: c.tolerance
    }))
    const matches: TableRow[] = r.matches.map((m) => ({
      name: `${m.match} (${m.clips} ${m.clips === 1 ? 'clip' : 'clips'})`,
      summary: m
    }))
    const overall: TableRow[] = [{ name: 'overall', summary: r.overall }]
    io.out(formatMetricsTable([clips, matches, overall]))
    io.out(
      `\nτ = ${px} px ${ref}; TP when distance <= τ. prec/recall/F1/acc in %, d50/d95: TP distance percentiles in px.`
    )
  }
  for (const w of r.warnings) io.err(`warning: ${w.message}`)
  if (r.errors.length) {
    io.err(`\n${r.errors.length} problem(s); the figures above leave these clips out:`)
    for (const e of r.errors) io.err(`error: ${e.message}`)
  }
}

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description(
      'Score prediction CSVs against a TrackNet-layout folder (TP/FP1/FP2/FN/TN, precision, recall, F1)'
    )
    .option('--pred <dir>', 'prediction CSVs: DIR/<clip>.csv, DIR/<clip>_ball.csv or DIR/<match>/<clip>.csv')
    .option(
      '--gt <root>',
      'TrackNet-layout labels: ROOT/<match>/video/<clip>.mp4 + ROOT/<match>/csv/<clip>_ball.csv'
    )
    .option(
      '--json',
      'print one JSON object (top-level F1, precision, recall, accuracy are the overall figures)'
    )
    .option('--strict', "tolerance in the video's own pixels instead of scaled from 512×288")
    .option(
      '--tolerance <px>',
      "tolerance in pixels at 512×288 (at the video's resolution with --strict); default 4"
    )
    .option('--missing-as-invisible', 'score a clip without predictions as never visible instead of failing')
    // Argument errors exit 2, as documented; help exits 0.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? EXIT_OK : EXIT_BAD_ARGS))
    .action(async (o: EvalOptions) => {
      process.exitCode = await runEval(o)
    })
}
