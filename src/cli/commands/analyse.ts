// Runs in plain Node (the command line): `shuttle-studio analyse --track CSV --video VIDEO [--calibration JSON]
// [--hit-edits JSON] [--out DIR] [--json]` — rallies, hits, shot speeds and landing points of one clip's shuttle
// track (labels or a tracker's predictions), written as a per-hit CSV, the full JSON and a self-contained HTML
// report.
// Rows of the track that cannot be read are left out and named as FILE:LINE in the warnings; each output file
// is written atomically.
// Exit codes: 0 analysed and written, 1 a file could not be read or written (or holds no readable row),
// 2 bad arguments.
import { existsSync } from 'node:fs'
import { mkdir, readFile, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { Command } from 'commander'
import { unreadableRows } from '../../backend/dataset/unscorable-rows'
import { locateFfmpeg } from '../../backend/ffmpeg/locate'
import { writeFileAtomic } from '../../backend/fs/atomic-write'
import { probeVideo } from '../../backend/video/probe'
import { scanRepeatedFrames } from '../../backend/video/repeated-frames'
import { analyseTrack } from '../../shared/analysis/analyse'
import type { Calibration } from '../../shared/analysis/calibration'
import { parseCalibrationFile } from '../../shared/analysis/calibration-file'
import { parseHitEditsFile, type HitEdits } from '../../shared/analysis/hit-edits'
import { hitsCsv } from '../../shared/analysis/report-csv'
import { reportHtml } from '../../shared/analysis/report-html'
import { trackFromPoints } from '../../shared/analysis/track'
import type { MatchAnalysis } from '../../shared/analysis/types'
import { readLabelCsv } from '../../shared/labels'
import type { LabelIssue } from '../../shared/labels/types'

export const EXIT_OK = 0
export const EXIT_PROBLEMS = 1
export const EXIT_BAD_ARGS = 2

export interface AnalyseOptions {
  track?: string
  video?: string
  calibration?: string
  /** A person's corrections to the detected hits (the studio's hit-edits JSON). */
  hitEdits?: string
  out?: string
  json?: boolean
}

export interface VideoFacts {
  width: number
  height: number
  fps: number
  frameCount: number
}

export interface AnalyseIo {
  out: (text: string) => void
  err: (text: string) => void
  /** Frame rate and size of the video; tests and the app can pass their own. Default: ffprobe. */
  probe?: (video: string) => Promise<VideoFacts>
  /** Chart.js UMD source to inline into the report. Default: read from the installed chart.js package. */
  chartJs?: () => Promise<string>
  /** Frames of the video that repeat the previous picture. Default: decoded and compared (repeated-frames.ts). */
  repeatedFrames?: (video: string) => Promise<number[]>
}

const consoleIo: AnalyseIo = { out: (t) => console.log(t), err: (t) => console.error(t) }

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile()
  } catch {
    return false
  }
}

async function defaultProbe(video: string): Promise<VideoFacts> {
  const { ffprobePath } = await locateFfmpeg()
  const { info } = await probeVideo(ffprobePath, video)
  return { width: info.width, height: info.height, fps: info.fps, frameCount: info.frameCount }
}

async function defaultRepeatedFrames(video: string): Promise<number[]> {
  return (await scanRepeatedFrames(await locateFfmpeg(), video)).repeated
}

/** chart.js's package exports hide dist/; its main entry lies in dist/, beside the UMD build. */
async function defaultChartJs(): Promise<string> {
  const main = createRequire(import.meta.url ?? __filename).resolve('chart.js')
  const dir = path.dirname(main)
  for (const name of ['chart.umd.min.js', 'chart.umd.js']) {
    const p = path.join(dir, name)
    if (existsSync(p)) return readFile(p, 'utf8')
  }
  throw new Error(`chart.js's UMD build is missing beside ${main}; reinstall with npm ci`)
}

/** True when a file stands at `dir` or where one of its parent folders should be: a wrong --out, not a disk
 * problem. */
async function outIsNotAFolder(dir: string): Promise<boolean> {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      return !(await stat(d)).isDirectory()
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code === 'ENOTDIR') return true
      if (code !== 'ENOENT' || path.dirname(d) === d) return false
    }
  }
}

function checkArgs(o: AnalyseOptions): string | null {
  if (!o.track) return 'missing --track CSV: the shuttle track (Frame,Visibility,X,Y labels or predictions).'
  if (!o.video) return 'missing --video VIDEO: the clip the track belongs to (for its frame rate and size).'
  return null
}

/** The whole command, without commander or process.exit: returns the exit code. */
export async function runAnalyse(o: AnalyseOptions, io: AnalyseIo = consoleIo): Promise<number> {
  const fail = (code: number, message: string): number => {
    if (o.json) io.out(JSON.stringify({ ok: false, error: message }))
    else io.err(`shuttle-studio analyse: ${message}`)
    return code
  }
  const bad = checkArgs(o)
  if (bad) return fail(EXIT_BAD_ARGS, bad)
  const track = o.track!
  const video = o.video!
  for (const [flag, p] of [
    ['--track', track],
    ['--video', video],
    ['--calibration', o.calibration],
    ['--hit-edits', o.hitEdits]
  ] as const) {
    if (p !== undefined && !(await isFile(p))) return fail(EXIT_BAD_ARGS, `${flag} ${p} is not a file.`)
  }
  let facts: VideoFacts
  try {
    facts = await (io.probe ?? defaultProbe)(video)
  } catch (e) {
    return fail(EXIT_PROBLEMS, `cannot read the video's frame rate and size: ${(e as Error).message}`)
  }
  let text: string
  try {
    text = await readFile(track, 'utf8')
  } catch (e) {
    return fail(EXIT_PROBLEMS, `cannot read ${track}: ${(e as Error).message}`)
  }
  const parsed = readLabelCsv(text, {
    video: { width: facts.width, height: facts.height },
    frameCount: facts.frameCount,
    // Every skipped row is counted and named below, not only the first few of each kind.
    maxIssuesPerCode: Number.MAX_SAFE_INTEGER
  })
  if (!parsed.format) {
    const why = parsed.issues.find((i) => i.severity === 'error')?.message ?? 'unrecognised header'
    return fail(EXIT_PROBLEMS, `${track} is not a track CSV: ${why}`)
  }
  const skipped = unreadableRows(parsed.issues)
  if (parsed.points.length === 0)
    return fail(EXIT_PROBLEMS, `${track} has no readable row to analyse${skippedNote(track, skipped)}`)
  const warnings = [
    ...(skipped.length ? [`${skipped.length} rows not read, left out${skippedNote(track, skipped)}`] : []),
    // Everything else the reader noticed (repeated, missing, unsorted frames, odd positions): read as written.
    ...parsed.issues
      .filter((i) => !skipped.includes(i))
      .slice(0, 5)
      .map((i) => (i.row > 0 ? `${track}:${i.row}: ${i.message}` : i.message))
  ]
  let calibration: Calibration | null = null
  if (o.calibration) {
    try {
      calibration = parseCalibrationFile(await readFile(o.calibration, 'utf8'))
    } catch (e) {
      return fail(EXIT_PROBLEMS, `${o.calibration}: ${(e as Error).message}`)
    }
    const s = calibration.imageSize
    if (s.width !== facts.width || s.height !== facts.height)
      warnings.push(
        `the calibration is for ${s.width}×${s.height} but the video is ${facts.width}×${facts.height}; positions will be off`
      )
  }
  let hitEdits: HitEdits | undefined
  if (o.hitEdits) {
    try {
      hitEdits = parseHitEditsFile(await readFile(o.hitEdits, 'utf8'))
    } catch (e) {
      return fail(EXIT_PROBLEMS, `${o.hitEdits}: ${(e as Error).message}`)
    }
  }
  // A frame-rate conversion shows some pictures twice; their labels are no new positions, and read frame by frame
  // they fake a stop of the shuttle (a hit). A video that cannot be compared is analysed frame by frame.
  let repeatedFrames: number[] = []
  try {
    repeatedFrames = await (io.repeatedFrames ?? defaultRepeatedFrames)(video)
  } catch (e) {
    warnings.push(
      `could not check ${video} for repeated frames (${(e as Error).message}); analysed frame by frame`
    )
  }
  if (repeatedFrames.length)
    warnings.push(
      `${repeatedFrames.length} frames repeat the previous picture (a frame-rate conversion): the track is timed by its pictures`
    )
  const analysis = analyseTrack({
    track: trackFromPoints(parsed.points, facts.fps, facts.frameCount),
    imageSize: { width: facts.width, height: facts.height },
    calibration,
    hitEdits,
    repeatedFrames
  })
  const outDir = o.out ?? `${track.replace(/\.csv$/i, '')}_analysis`
  const files = {
    csv: path.join(outDir, 'hits.csv'),
    json: path.join(outDir, 'analysis.json'),
    html: path.join(outDir, 'report.html')
  }
  const written: string[] = []
  try {
    const chart = await (io.chartJs ?? defaultChartJs)()
    const meta = {
      title: `Analysis of ${path.basename(track)}`,
      track: path.basename(track),
      video: path.basename(video),
      generated: new Date().toISOString()
    }
    // Everything is made in memory first; then each file lands whole or not at all (a full disk leaves the
    // previous file, never an empty or cut one).
    const contents: [string, string][] = [
      [files.csv, hitsCsv(analysis.hits)],
      [files.json, JSON.stringify(analysis, null, 1) + '\n'],
      [files.html, reportHtml(analysis, meta, chart)]
    ]
    if (await outIsNotAFolder(outDir)) return fail(EXIT_BAD_ARGS, `--out ${outDir} is not a folder.`)
    await mkdir(outDir, { recursive: true })
    for (const [file, data] of contents) {
      await writeFileAtomic(file, data)
      written.push(file)
    }
  } catch (e) {
    const done = written.length ? ` (${written.join(', ')} written before it failed)` : ' (nothing written)'
    return fail(EXIT_PROBLEMS, `cannot write the results to ${outDir}: ${(e as Error).message}${done}`)
  }
  if (o.json)
    io.out(
      JSON.stringify(
        {
          ok: true,
          files,
          warnings,
          skippedRows: skipped.length,
          repeatedFrames: repeatedFrames.length,
          summary: summary(analysis)
        },
        null,
        2
      )
    )
  else printText(analysis, files, warnings, io)
  return EXIT_OK
}

/** `: FILE:LINE: why | …` for the first few rows that could not be read, and how many more there are. */
function skippedNote(track: string, skipped: readonly LabelIssue[], max = 5): string {
  if (!skipped.length) return ''
  const shown = skipped.slice(0, max).map((i) => `${track}:${i.row}: ${i.message}`)
  const more = skipped.length > max ? ` (and ${skipped.length - max} more)` : ''
  return `: ${shown.join(' | ')}${more}`
}

function summary(a: MatchAnalysis): object {
  const speeds = a.hits.map((h) => h.speedKmh).filter((s): s is number => s !== null)
  return {
    rallies: a.rallies.length,
    hits: a.hits.length,
    calibrated: a.calibrated,
    heightCorrected: a.hits.filter((h) => h.assumption === 'height-corrected').length,
    maxSpeedKmh: speeds.length ? Math.max(...speeds) : null
  }
}

function printText(a: MatchAnalysis, files: Record<string, string>, warnings: string[], io: AnalyseIo): void {
  io.out(
    `${a.rallies.length} rallies, ${a.hits.length} hits (${a.fps.toFixed(3)} fps, ${a.frameCount} frames)`
  )
  for (const r of a.rallies) {
    const land =
      r.landing.courtX === null
        ? ''
        : `, landed at ${r.landing.courtX.toFixed(2)}, ${r.landing.courtY!.toFixed(2)} m`
    const speeds = r.hits.map((h) => (h.speedKmh === null ? '?' : h.speedKmh.toFixed(0))).join(' ')
    io.out(
      `  rally ${r.index + 1}: ${r.startTime.toFixed(2)}–${r.endTime.toFixed(2)} s, ${r.shotCount} shots${land}; km/h: ${speeds}`
    )
  }
  if (!a.calibrated)
    io.out('no --calibration: no court positions or speeds (see the report for what is assumed).')
  for (const w of warnings) io.err(`warning: ${w}`)
  io.out(`wrote ${files.csv}, ${files.json}, ${files.html}`)
}

export function registerAnalyse(program: Command): void {
  program
    .command('analyse')
    .description(
      'Rallies, hits, shot speeds and landing points of a shuttle track; CSV, JSON and an HTML report'
    )
    .option('--track <csv>', 'the track: Frame,Visibility,X,Y (labels) or with Confidence (predictions)')
    .option('--video <video>', 'the clip the track belongs to (frame rate and size)')
    .option(
      '--calibration <json>',
      "court calibration: the studio's calibration JSON (corners, optional net posts) or a synth.json"
    )
    .option('--hit-edits <json>', "hits added and removed by hand: the studio's saved hit edits")
    .option('--out <dir>', 'folder for hits.csv, analysis.json and report.html (default: <track>_analysis)')
    .option('--json', 'print one JSON object (files written, warnings, summary)')
    // Argument errors exit 2, as documented; help exits 0.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? EXIT_OK : EXIT_BAD_ARGS))
    .action(async (o: AnalyseOptions) => {
      process.exitCode = await runAnalyse(o)
    })
}
