// Runs in the backend (plain Node): gathers what "label these next" (suggest-frames.ts) scores for the open
// project — per clip, the track the studio keeps in .studio/predictions (the chosen model's, else the clip's
// latest track), the model's threshold, the video's width and the frames that already have a ground-truth
// label — and returns the picks with their clips' names.
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import type { z } from 'zod'
import type { Result } from '../../shared/api/contract'
import type { ProjectLibrary } from '../../shared/api/methods/project'
import { readLabelCsv } from '../../shared/labels/read'
import { studioTruth } from '../dataset/studio-truth'
import { ProjectLayout } from '../project/layout'
import { readOnnxMetadata } from '../tracking/onnx-metadata'
import { probeVideo } from '../video/probe'
import { parsePredictionCsv, pickSuggestions, scoreFrames, type ScoredFrame } from './suggest-frames'

type Library = z.infer<typeof ProjectLibrary>
type Suggested = Result<'training.suggest'>

/** Picks closer than this many frames in one clip look alike: one of them is enough. */
export const SUGGEST_MIN_GAP = 8

export interface SuggestInput {
  library: Library
  /** The chosen model's file and content hash, or null: each clip's latest track. */
  model: { path: string; hash: string } | null
  ffprobe: string | null
  max: number
}

export async function suggestFrames(o: SuggestInput): Promise<Suggested> {
  const layout = new ProjectLayout(o.library.dir)
  const clips = o.library.matches.flatMap((m) => m.clips)
  const files = await readdir(layout.predictionsDir).catch(() => [] as string[])
  const thresholds = new Map<string, number>()
  if (o.model) thresholds.set(o.model.hash.slice(0, 16), await thresholdOf(o.model.path))
  const scored: ScoredFrame[][] = []
  const tracked: typeof clips = []
  for (const c of clips) {
    const file = await trackOf(layout, files, c.clipId, o.model?.hash ?? null)
    if (!file) continue
    const rows = parsePredictionCsv(await readFile(file, 'utf8').catch(() => ''))
    if (!rows.length) continue
    const labelled = await labelledFrames(o.library.dir, c.clipId, layout.csvFile(c.match, c.clip))
    const width = await widthOf(c.videoPath, o.ffprobe, rows)
    const hash = path.basename(file).split('.')[1] ?? ''
    tracked.push(c)
    scored.push(scoreFrames({ rows, labelled, width, threshold: thresholds.get(hash) ?? 0.5 }))
  }
  const picks = pickSuggestions(scored, { max: o.max, minGap: SUGGEST_MIN_GAP })
  const frames = picks.map((p) => {
    const c = tracked[p.clip]!
    return {
      clipId: c.clipId,
      match: c.match,
      clip: c.clip,
      frame: p.frame,
      reasons: p.reasons,
      score: p.score
    }
  })
  const note = !clips.length
    ? 'The project has no clips yet.'
    : !tracked.length
      ? o.model
        ? 'No clip is tracked with this model yet: track the clips (Frames → Track, or Re-track) first.'
        : 'No clip is tracked yet: track the clips (Frames → Track) first; suggestions come from the track.'
      : !frames.length
        ? 'The model is sure of every unlabelled frame it tracked: nothing stands out to label.'
        : null
  return { frames, tracked: tracked.length, note }
}

/** The clip's track by this model (by hash), else its newest track by any model; null when it has none. */
export async function trackOf(
  layout: ProjectLayout,
  files: readonly string[],
  clipId: string,
  hash: string | null
): Promise<string | null> {
  const mine = files.filter((f) => f.startsWith(`${clipId}.`) && f.endsWith('.csv'))
  if (hash) {
    const f = mine.find((m) => m === `${clipId}.${hash.slice(0, 16)}.csv`)
    return f ? path.join(layout.predictionsDir, f) : null
  }
  let best: { file: string; t: number } | null = null
  for (const f of mine) {
    const file = path.join(layout.predictionsDir, f)
    const t = (await stat(file).catch(() => null))?.mtimeMs ?? -1
    if (!best || t > best.t) best = { file, t }
  }
  return best?.file ?? null
}

async function thresholdOf(model: string): Promise<number> {
  const t = Number(
    (await readOnnxMetadata(model).catch(() => ({}) as Record<string, string>))['shuttle.threshold']
  )
  return Number.isFinite(t) && t > 0 && t < 1 ? t : 0.5
}

/** Frames with a ground-truth label (the eval rule: reviewed labels in a project, every row of a plain CSV). */
async function labelledFrames(root: string, clipId: string, csv: string): Promise<Set<number>> {
  const truth = await studioTruth(root, clipId, csv).catch(() => null)
  if (truth) return new Set(truth.map((p) => p.frame))
  const text = await readFile(csv, 'utf8').catch(() => null)
  return new Set(text === null ? [] : readLabelCsv(text).points.map((p) => p.frame))
}

/** The video's width (jumps are judged against it); where it cannot be probed, the track's own extent. */
async function widthOf(
  video: string | null,
  ffprobe: string | null,
  rows: readonly { x: number }[]
): Promise<number> {
  if (video && ffprobe) {
    const w = await probeVideo(ffprobe, video)
      .then((p) => p.info.width)
      .catch(() => null)
    if (w) return w
  }
  return rows.reduce((w, r) => Math.max(w, r.x), 640)
}
