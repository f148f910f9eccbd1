// Runs in the backend (plain Node): scores a folder of tracker predictions against a TrackNet-layout root —
// per clip, per match and overall — with the shared metrics. It collects what went wrong instead of stopping
// at the first problem: `errors` are clips that could not be scored as asked, `warnings` what a person should
// look at (label lint, half-clips) though the figures stand.
import { toleranceFor, type ToleranceMode } from '../../shared/metrics/tolerance'
import { evaluateTrack, type TrackEvaluation } from '../../shared/metrics/evaluate'
import { summarise, type MetricsSummary } from '../../shared/metrics/summary'
import type { LabelIssue, LabelPoint } from '../../shared/labels/types'
import { readLabelFile } from './label-file'
import { scanTrackNetRoot, type ClipEntry } from './layout'
import { findPredictionFile } from './prediction-file'
import { probeVideoSize } from './probe-size'
import { studioClipIds, studioTruth } from './studio-truth'
import { describeUnscorable, unscorableIssues } from './unscorable-rows'

export interface EvaluateRootOptions {
  predDir: string
  gtRoot: string
  /** 'tracknet' scales px from 512×288 to the video; 'strict' takes px at the video's own resolution. */
  mode: ToleranceMode
  px: number
  /** Score a clip without a prediction file as "never visible" instead of listing it as an error. */
  missingAsInvisible: boolean
  ffprobe: string
  /** Label issues listed per file at most (default 5): the rest are counted. */
  maxIssuesPerFile?: number
}

export interface Note {
  clip?: string
  file?: string
  /** 1-based line of `file` the note is about (the first, when several are). */
  line?: number
  message: string
}

export interface ClipResult extends MetricsSummary {
  match: string
  clip: string
  video: string
  labels: string
  /** null when the clip had no prediction file and was scored as never visible. */
  predictions: string | null
  width: number
  height: number
  /** τ in video pixels. */
  tolerance: number
}

export interface MatchResult extends MetricsSummary {
  match: string
  clips: number
}

export interface RootEvaluation {
  clips: ClipResult[]
  matches: MatchResult[]
  /** null when no clip could be scored. */
  overall: MetricsSummary | null
  warnings: Note[]
  errors: Note[]
}

interface Scored {
  result: ClipResult
  evaluation: TrackEvaluation
}

export async function evaluateRoot(o: EvaluateRootOptions): Promise<RootEvaluation> {
  const scan = await scanTrackNetRoot(o.gtRoot)
  const warnings: Note[] = []
  const errors: Note[] = []
  for (const p of scan.problems)
    (p.kind === 'no-root' ? errors : warnings).push({ file: p.path, message: p.message })
  const complete = scan.clips.filter((c) => c.videoPath && c.labelPath)
  const nameCount = new Map<string, number>()
  for (const c of scan.clips) nameCount.set(c.clip, (nameCount.get(c.clip) ?? 0) + 1)
  const scored: Scored[] = []
  const studioIds = await studioClipIds(o.gtRoot)
  for (const clip of complete) {
    const clipId = studioIds?.get(`${clip.match}/${clip.clip}`) ?? null
    const unique = (nameCount.get(clip.clip) ?? 0) === 1
    const s = await scoreClip(clip, unique, clipId, o, warnings, errors)
    if (s) scored.push(s)
  }
  if (scan.problems.every((p) => p.kind !== 'no-root') && complete.length === 0) {
    errors.push({
      file: o.gtRoot,
      message: `${o.gtRoot} holds no clip with both a video and labels to score.`
    })
  }
  const matches: MatchResult[] = []
  for (const match of [...new Set(scored.map((s) => s.result.match))]) {
    const mine = scored.filter((s) => s.result.match === match)
    matches.push({ match, clips: mine.length, ...summarise(mine.map((s) => s.evaluation)) })
  }
  const overall = scored.length ? summarise(scored.map((s) => s.evaluation)) : null
  return { clips: scored.map((s) => s.result), matches, overall, warnings, errors }
}

async function scoreClip(
  clip: ClipEntry,
  nameIsUnique: boolean,
  studioClipId: string | null,
  o: EvaluateRootOptions,
  warnings: Note[],
  errors: Note[]
): Promise<Scored | null> {
  const video = clip.videoPath as string
  const labelsPath = clip.labelPath as string
  const name = clip.name
  try {
    const size = await probeVideoSize(o.ffprobe, video)
    const videoSize = { width: size.width, height: size.height }
    const labels = await readLabelFile(labelsPath, {
      video: videoSize,
      frameCount: size.frameCount ?? undefined
    })
    noteIssues(name, labelsPath, labels.issues, warnings, o.maxIssuesPerFile)
    if (!labels.format) {
      errors.push({
        clip: name,
        file: labelsPath,
        message: `${labelsPath}: labels cannot be read${firstReason(labels.issues)}`
      })
      return null
    }
    if (labels.points.length === 0) {
      // A header and nothing else: scoring it would print figures of zero frames as if they meant something.
      const message = `${labelsPath}: no labelled frame (a header and no rows); clip not scored.`
      errors.push({ clip: name, file: labelsPath, message })
      return null
    }
    const badTruth = unscorableIssues(labels.issues, 'labels')
    if (badTruth.length) {
      const message = describeUnscorable(labelsPath, 'labels', badTruth)
      errors.push({ clip: name, file: labelsPath, line: badTruth[0]!.row, message })
      return null
    }
    const truth = await groundTruthFor(o.gtRoot, studioClipId, labelsPath, labels.points, name, warnings)
    if (truth.length === 0) {
      const message = `${labelsPath}: no label a person made, imported or accepted in the studio; clip not scored.`
      errors.push({ clip: name, file: labelsPath, message })
      return null
    }
    const found = await findPredictionFile(o.predDir, clip, nameIsUnique)
    let predictions: LabelPoint[] = []
    if (found.path) {
      const pred = await readLabelFile(found.path, { video: videoSize })
      noteIssues(name, found.path, pred.issues, warnings, o.maxIssuesPerFile)
      if (!pred.format) {
        const message = `${found.path}: predictions cannot be read${firstReason(pred.issues)}`
        errors.push({ clip: name, file: found.path, message })
        return null
      }
      const badRows = unscorableIssues(pred.issues, 'predictions')
      if (badRows.length) {
        const message = describeUnscorable(found.path, 'predictions', badRows)
        errors.push({ clip: name, file: found.path, line: badRows[0]!.row, message })
        return null
      }
      predictions = pred.points
    } else {
      const why = found.ambiguous
        ? `${found.ambiguous} could belong to any match with a clip "${clip.clip}"; put it in ` +
          `${found.tried[0]} instead`
        : `no prediction file (looked for ${found.tried.join(', ')})`
      if (!o.missingAsInvisible) {
        const hint = 'run the tracker on it, or pass --missing-as-invisible to score it as never visible'
        errors.push({ clip: name, message: `${name}: ${why}; ${hint}.` })
        return null
      }
      warnings.push({ clip: name, message: `${name}: ${why}; scored as never visible.` })
    }
    const tolerance = toleranceFor(videoSize, { mode: o.mode, px: o.px })
    const evaluation = evaluateTrack(predictions, truth, tolerance)
    if (found.path && evaluation.missingPredictions > 0) {
      const n = evaluation.missingPredictions
      warnings.push({
        clip: name,
        message: `${name}: ${n} labelled frame${n === 1 ? '' : 's'} without a prediction row; scored as not visible.`
      })
    }
    const result: ClipResult = {
      match: clip.match,
      clip: clip.clip,
      video,
      labels: labelsPath,
      predictions: found.path,
      width: size.width,
      height: size.height,
      tolerance,
      ...summarise([evaluation])
    }
    return { result, evaluation }
  } catch (e) {
    errors.push({ clip: name, message: (e as Error).message })
    return null
  }
}

/**
 * The CSV's rows, or in a studio project whose state was saved with this very CSV, the labels people made,
 * imported or reviewed (the Evaluate tab's ground truth): the tracker's unreviewed guesses the studio also
 * writes into the CSV are left out, and said so.
 */
async function groundTruthFor(
  root: string,
  clipId: string | null,
  labelsPath: string,
  rows: LabelPoint[],
  name: string,
  warnings: Note[]
): Promise<LabelPoint[]> {
  const studio = clipId ? await studioTruth(root, clipId, labelsPath) : null
  if (!studio) return rows
  const leftOut = new Set(rows.map((p) => p.frame)).size - studio.length
  if (leftOut > 0) {
    const message =
      `${labelsPath}: ${leftOut} rows are the tracker's or interpolated labels nobody reviewed in the studio; ` +
      'scored without them, as the Evaluate tab does.'
    warnings.push({ clip: name, file: labelsPath, message })
  }
  return studio
}

/** Why a file was not read, for the error itself (an error line alone must say what to fix): ": <reason>." */
function firstReason(issues: readonly LabelIssue[]): string {
  const first = issues[0]
  if (!first) return '.'
  return `: ${first.message.replace(/\.$/, '')}.`
}

function noteIssues(clip: string, file: string, issues: LabelIssue[], warnings: Note[], max = 5): void {
  if (!issues.length) return
  const shown = issues.slice(0, max).map((i) => (i.row ? `line ${i.row}: ${i.message}` : i.message))
  const more = issues.length > max ? ` (+${issues.length - max} more)` : ''
  warnings.push({ clip, file, message: `${file}: ${shown.join(' | ')}${more}` })
}
