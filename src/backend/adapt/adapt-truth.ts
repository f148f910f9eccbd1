// Runs in the backend (plain Node): the ground truth adaptation may train on, clip by clip, from a studio project
// or any TrackNet-layout folder. The rule is the one `eval` scores by (src/shared/evaluation/ground-truth.ts,
// policy 'people'): in a studio project whose clip state was saved with the CSV on disk, an unreviewed model
// or interpolated label is never a target; a frame without a row is never a target (not even "not visible").
// Bad input loses nothing and stops nothing: rows that cannot be read or put the shuttle off the picture are
// skipped and counted, and a clip whose video is missing or unreadable is listed in `skipped` with the reason.
import path from 'node:path'
import { groundTruthOf } from '../../shared/evaluation/ground-truth'
import { isReviewed } from '../../shared/project/frame-state'
import { readLabelFile } from '../dataset/label-file'
import { unscorableIssues } from '../dataset/unscorable-rows'
import { studioClipIds, studioColumns } from '../dataset/studio-truth'
import { ProjectLayout } from '../project/layout'
import { scanProject, type FoundClip } from '../project/scan'
import { probeVideo } from '../video/probe'

/** One ground-truth frame: visibility and position in the video's pixels. */
export interface TruthRow {
  frame: number
  visible: boolean
  x: number
  y: number
  /** Reviewed in the studio (accepted, corrected or verified); always false outside a project. */
  reviewed: boolean
}

export interface ClipTruth {
  match: string
  clip: string
  /** Absolute path of the video (a referenced video's target in a project). */
  video: string
  fps: number
  width: number
  height: number
  /** Frames of the video (the container's count), or one past the last labelled frame when it gives none. */
  frames: number
  /** Ground-truth rows, one per frame, in frame order. */
  rows: TruthRow[]
  /** Rows of the CSV left out: unreadable, off the picture, beyond the video, or a repeated frame. */
  badRows: number
  /** Labelled frames left out because no person made or accepted them (studio projects only). */
  notByPeople: number
  /** Where the rows came from: the studio's saved state of the clip, or the CSV as it is. */
  from: 'studio' | 'csv'
}

export type SkipKind = 'no-video' | 'no-labels' | 'video' | 'labels'

export interface SkippedClip {
  match: string
  clip: string
  kind: SkipKind
  /** A sentence naming the file and what to do. */
  reason: string
}

export interface RootTruth {
  root: string
  clips: ClipTruth[]
  skipped: SkippedClip[]
  /** True when the root is a studio project (it has .studio/project.json). */
  studio: boolean
}

/** Reads every clip of `root`; never throws for a clip, only for a root that is not a readable folder. */
export async function readRootTruth(root: string, ffprobe: string): Promise<RootTruth> {
  const abs = path.resolve(root)
  const layout = new ProjectLayout(abs)
  const found = await scanProject(layout)
  const ids = await studioClipIds(abs)
  const clips: ClipTruth[] = []
  const skipped: SkippedClip[] = []
  for (const c of found.clips) {
    const r = await readClip(abs, c, ids?.get(`${c.match}/${c.clip}`) ?? null, ffprobe)
    if ('kind' in r) skipped.push(r)
    else clips.push(r)
  }
  return { root: abs, clips, skipped, studio: ids !== null }
}

async function readClip(
  root: string,
  c: FoundClip,
  clipId: string | null,
  ffprobe: string
): Promise<ClipTruth | SkippedClip> {
  const skip = (kind: SkipKind, reason: string): SkippedClip => ({
    match: c.match,
    clip: c.clip,
    kind,
    reason
  })
  const name = `${c.match}/${c.clip}`
  if (!c.csvPath) return skip('no-labels', `${name}: no labels (${c.match}/csv/${c.clip}_ball.csv).`)
  if (!c.videoPath || c.videoMissing) {
    const where = c.referenceFile ? `${c.referenceFile} points at ${c.videoPath ?? 'nothing readable'}` : ''
    return skip(
      'no-video',
      `${name}: its video is missing (${where || `expected ${c.match}/video/${c.clip}.mp4`}); ` +
        'its labels are left out until the video is put back.'
    )
  }
  let info
  try {
    info = (await probeVideo(ffprobe, c.videoPath)).info
  } catch (e) {
    return skip('video', `${name}: the video cannot be read (${(e as Error).message}); clip left out.`)
  }
  const base = {
    match: c.match,
    clip: c.clip,
    video: path.resolve(c.videoPath),
    fps: info.fps,
    width: info.width,
    height: info.height
  }
  const columns = clipId ? await studioColumns(root, clipId, c.csvPath) : null
  if (columns) {
    const truth = groundTruthOf(columns, 'people')
    const rows = truth.points.map((p) => ({ ...p, reviewed: isReviewed(columns.review[p.frame] ?? 0) }))
    // The studio's columns span the clip's exact frame count (its packet index); the container's is an estimate.
    const frames = columns.frameCount > 0 ? columns.frameCount : info.frameCount
    return { ...base, frames, rows, badRows: 0, notByPeople: truth.notByPeople, from: 'studio' }
  }
  let labels
  try {
    labels = await readLabelFile(c.csvPath, {
      video: { width: info.width, height: info.height },
      // Every issue listed, so every bad row is known by its line (not only the first few of a kind).
      maxIssuesPerCode: Number.MAX_SAFE_INTEGER
    })
  } catch (e) {
    return skip('labels', `${(e as Error).message} Clip left out.`)
  }
  if (!labels.format) {
    const why = labels.issues.find((i) => i.row === 0)?.message ?? 'the header is not recognised'
    return skip('labels', `${c.csvPath}: labels cannot be read (${why}); clip left out.`)
  }
  const badLines = new Set(unscorableIssues(labels.issues, 'labels').map((i) => i.row))
  const readRows = new Set(labels.points.map((p) => p.row))
  // Unreadable rows are not among the points; off-picture ones are, and are dropped below.
  let badRows = [...badLines].filter((row) => !readRows.has(row)).length
  const byFrame = new Map<number, TruthRow>()
  for (const p of labels.points) {
    const beyond = info.frameCount > 0 && p.frame >= info.frameCount
    if (badLines.has(p.row) || beyond || byFrame.has(p.frame)) {
      badRows++
      continue
    }
    byFrame.set(p.frame, {
      frame: p.frame,
      visible: p.visible,
      x: p.visible ? p.x : 0,
      y: p.visible ? p.y : 0,
      reviewed: false
    })
  }
  const rows = [...byFrame.values()].sort((a, b) => a.frame - b.frame)
  const frames = info.frameCount > 0 ? info.frameCount : rows.length ? rows[rows.length - 1]!.frame + 1 : 0
  return { ...base, frames, rows, badRows, notByPeople: 0, from: 'csv' }
}
